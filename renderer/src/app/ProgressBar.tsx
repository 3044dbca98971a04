/**
 * A labelled progress bar. `value` null = indeterminate (the work has no measurable total yet).
 * The width is set through the style object (CSSOM), which the CSP allows; no inline style text.
 */
export function ProgressBar(props: {
  label: string;
  value: number | null;
  max?: number;
  /** What a screen reader says instead of a bare percentage ("12 of 40 MB"). */
  valueText?: string;
  tone?: 'accent' | 'ok' | 'warn' | 'danger';
  size?: 'small' | 'normal';
}) {
  const max = props.max ?? 100;
  const ratio = props.value === null ? null : Math.max(0, Math.min(1, max > 0 ? props.value / max : 0));
  return (
    <div
      className={`progress progress--${props.tone ?? 'accent'} progress--${props.size ?? 'normal'}${ratio === null ? ' progress--indeterminate' : ''}`}
      role="progressbar"
      aria-label={props.label}
      aria-valuemin={0}
      aria-valuemax={ratio === null ? undefined : max}
      aria-valuenow={ratio === null ? undefined : (props.value ?? undefined)}
      aria-valuetext={props.valueText}
    >
      <div className="progress__bar" style={ratio === null ? undefined : { width: `${(ratio * 100).toFixed(2)}%` }} />
    </div>
  );
}

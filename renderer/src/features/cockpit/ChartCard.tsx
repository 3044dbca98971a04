import { useId, useState } from 'react';
import type { ReactNode } from 'react';

/**
 * A chart with its text alternative: a one-sentence summary (the figure's caption, also the
 * chart's accessible name) and the same numbers as a table, one click away. Charts are drawn by
 * Recharts as SVG (text readable by screen readers and tests; fills are CSS variables, so the
 * light and dark themes follow).
 */
export function ChartCard(props: {
  title: string;
  /** What the chart shows, in words: its caption and accessible name. */
  summary: string;
  /** Shown instead of the chart when there is nothing to draw: what to do. */
  empty?: string | null;
  chart: ReactNode;
  table: ReactNode;
  /** Controls beside the title (e.g. which run). */
  tools?: ReactNode;
}) {
  const [view, setView] = useState<'chart' | 'table'>('chart');
  const name = useId();
  const captionId = useId();
  return (
    <figure className="panel chart-card" aria-labelledby={captionId}>
      <div className="panel__header chart-card__header">
        <h3 className="panel__title">{props.title}</h3>
        <div className="chart-card__tools">
          {props.tools}
          {!props.empty && (
            <div className="segmented" role="radiogroup" aria-label={`${props.title}: show as`}>
              {(['chart', 'table'] as const).map((v) => (
                <label key={v}>
                  <input type="radio" name={name} checked={view === v} onChange={() => setView(v)} />
                  {v === 'chart' ? 'Chart' : 'Table'}
                </label>
              ))}
            </div>
          )}
        </div>
      </div>
      <div className="panel__body chart-card__body">
        <figcaption id={captionId} className="chart-card__caption">
          <span className="visually-hidden">{props.title}: </span>
          {props.empty ?? props.summary}
        </figcaption>
        {!props.empty &&
          (view === 'chart' ? (
            <div className="chart-card__chart" role="img" aria-label={`${props.title}. ${props.summary}`}>
              {props.chart}
            </div>
          ) : (
            props.table
          ))}
      </div>
    </figure>
  );
}

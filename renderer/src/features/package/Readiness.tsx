/**
 * The readiness check of "Save or run": what the grid's validation finds in every source as the
 * package would carry it, per source and rule, each with a link to those rows in the grid. The
 * wizard asks before building a package with known errors (`knownErrorsLabel`).
 */
import { useEffect } from 'react';
import { useStore } from 'zustand';
import type { PackagePlan, ReadinessRule, SourceReadiness } from '../../../../shared/api/domains/packages';
import { ErrorAlert } from '../../app/ErrorAlert';
import { count, plural } from '../../app/format';
import { Icon } from '../../app/icons';
import { ProgressBar } from '../../app/ProgressBar';
import { useWorkbench } from '../../app/workbench';
import { RULE_LABELS } from '../../grid/issues';
import type { WizardStore } from './wizardStore';

/**
 * What the check allows: 'checking' holds the build back; 'errors' turns the button into the
 * explicit "Run anyway with N known errors" (no shortcut), 'warnings' into "Run anyway with N
 * warnings": a warning is a rule we are not sure of (the built-in catalog's, say), still a row F&O
 * may refuse, so it is listed and asked about, never silently passed; 'clean' (or a check that
 * could not run, whose problem is shown) lets it go as usual.
 */
export function useReadinessGate(store: WizardStore): {
  state: 'checking' | 'errors' | 'warnings' | 'clean';
  errors: number;
  warnings: number;
} {
  const checking = useStore(store, (s) => s.checking || (s.readiness === null && s.checkProblem === null));
  const errors = useStore(store, (s) => s.readiness?.errors ?? 0);
  const warnings = useStore(store, (s) => s.readiness?.warnings ?? 0);
  const state = checking ? 'checking' : errors > 0 ? 'errors' : warnings > 0 ? 'warnings' : 'clean';
  return { state, errors, warnings };
}

/** The Save or Run button, as the readiness check allows it. */
export function BuildButton(props: {
  store: WizardStore;
  action: 'Save' | 'Run';
  label: string;
  busyLabel: string;
  icon: 'save' | 'play';
  shortcut: { aria: string; label: string };
  ready: boolean;
  busy: boolean;
  onClick: () => void;
}) {
  const gate = useReadinessGate(props.store);
  const anyway = gate.state === 'errors' || gate.state === 'warnings';
  return (
    <button
      type="button"
      className={`button ${gate.state === 'errors' ? 'button--danger' : gate.state === 'warnings' ? 'button--caution' : 'button--primary'}`}
      disabled={!props.ready || props.busy || gate.state === 'checking'}
      onClick={props.onClick}
      aria-keyshortcuts={anyway ? undefined : props.shortcut.aria}
      title={
        anyway
          ? gate.state === 'errors'
            ? 'The sources hold rows F&O is expected to refuse: see above.'
            : 'The sources hold rows F&O may refuse (rules not yet confirmed by the environment): see above.'
          : `${props.label} (${props.shortcut.label})`
      }
    >
      <Icon name={props.icon} size={16} />
      {props.busy
        ? props.busyLabel
        : gate.state === 'checking'
          ? 'Checking the sources…'
          : anyway
            ? `${props.action} anyway with ${gate.state === 'errors' ? plural(gate.errors, 'known error') : plural(gate.warnings, 'warning')}`
            : props.label}
      {!anyway && <kbd className="button__kbd">{props.shortcut.label}</kbd>}
    </button>
  );
}

/** Checks again whenever the project's entities or a file open in the grid changed. */
function useCheck(store: WizardStore, plan: PackagePlan) {
  const { sources } = useWorkbench();
  const grid = useStore(sources, (s) => s.datasets.map((d) => `${d.id}:${d.version}:${d.state}`).join(','));
  const project = JSON.stringify(plan.document.entities);
  useEffect(() => {
    void store.getState().check();
  }, [store, project, grid]);
}

function RuleLine({ source, rule }: { source: SourceReadiness; rule: ReadinessRule }) {
  const { sources, shell } = useWorkbench();
  const label = RULE_LABELS[rule.rule];
  const example = rule.examples[0];
  return (
    <li className={`readiness__rule readiness__rule--${rule.severity}`}>
      <span className="readiness__count">{count(rule.count)}</span>
      <span className="readiness__what">
        <strong>{label}</strong>
        {example && (
          <span className="muted">
            {' '}
            — {example.row > 0 ? `row ${count(example.row)}` : 'the columns'}
            {example.column ? `, ${example.column}` : ''}: {example.message}
          </span>
        )}
        {example && <span className="readiness__source-of-rule">Rule from {example.source}</span>}
      </span>
      <button
        type="button"
        className="link-button readiness__link"
        aria-label={`Show the rows of ${source.label} with "${label}" in the grid`}
        onClick={() => {
          shell.getState().goTo('sources');
          void sources.getState().showFindings(source.path, source.label, rule.rule);
        }}
      >
        Show in the grid
      </button>
    </li>
  );
}

/** One line on what the check found, and what errors and warnings mean for the run. */
function summaryOf(errors: number, warnings: number, rows: number): string {
  if (errors === 0 && warnings === 0) return `No known problem: ${count(rows)} rows checked against their entities.`;
  if (errors === 0)
    return `${plural(warnings, 'warning')} in ${count(rows)} rows: rules the environment has not confirmed (each says where it came from); F&O may refuse these rows.`;
  return `${plural(errors, 'known error')}, ${plural(warnings, 'warning')} in ${count(rows)} rows: F&O is expected to refuse the rows with errors.`;
}

export function Readiness({ store, plan }: { store: WizardStore; plan: PackagePlan }) {
  useCheck(store, plan);
  const readiness = useStore(store, (s) => s.readiness);
  const checking = useStore(store, (s) => s.checking);
  const problem = useStore(store, (s) => s.checkProblem);
  const enabled = plan.entities.filter((e) => e.enabled).length;

  if (problem) return <ErrorAlert problem={`The sources could not be checked: ${problem}`} />;
  if (checking || !readiness) {
    return (
      <section className="readiness" aria-label="Known problems in the sources">
        <ProgressBar label={`Checking the rows of ${plural(enabled, 'source')}`} value={null} size="small" />
        <p className="muted">Checking the rows of {plural(enabled, 'source')} against their entities…</p>
      </section>
    );
  }
  const flagged = readiness.sources.filter((s) => s.rules.length > 0 || s.problem !== null);
  const rows = readiness.sources.reduce((n, s) => n + s.rows, 0);
  return (
    <section
      className={`readiness${readiness.errors > 0 ? ' readiness--errors' : readiness.warnings > 0 ? ' readiness--warnings' : ''}`}
      aria-label="Known problems in the sources"
    >
      <p className="readiness__summary">
        <Icon name={readiness.errors + readiness.warnings > 0 ? 'alert' : 'check'} size={16} />
        {summaryOf(readiness.errors, readiness.warnings, rows)}
      </p>
      {flagged.length > 0 && (
        <ul className="readiness__sources">
          {flagged.map((source) => (
            <li key={source.label} aria-label={`${source.label}: ${plural(source.errors, 'error')}`}>
              <div className="readiness__source">
                <strong>{source.label}</strong>
                <span className="mono muted">{source.sourceFile}</span>
                {source.fromGrid && <span className="badge badge--accent">As in the grid</span>}
                <span className="muted">
                  {plural(source.errors, 'error')}, {plural(source.warnings, 'warning')}
                </span>
              </div>
              {source.problem && <p className="field__error">{source.problem}</p>}
              <ul className="readiness__rules" aria-label={`Findings in ${source.label} by rule`}>
                {source.rules.map((rule) => (
                  <RuleLine key={rule.rule} source={source} rule={rule} />
                ))}
              </ul>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

import { Bar, BarChart, CartesianGrid, ComposedChart, LabelList, Legend, Line, Tooltip, XAxis, YAxis } from 'recharts';
import type { CockpitRun, CockpitView, ScheduleEntry } from '../../../../shared/api/domains/cockpit';
import { count, plural } from '../../app/format';
import { TableHead, numeric } from '../../app/TableHead';
import { ChartCard } from './ChartCard';

/** Entity colours: CSS variables of cockpit.css (light-dark()), so both themes follow. */
const PALETTE = 8;
const colour = (i: number) => `var(--chart-${(i % PALETTE) + 1})`;

/** Axis, grid and tooltip in the shell's colours (Recharts would draw its own greys). */
const AXIS = { stroke: 'var(--border-strong)', tick: { fill: 'var(--text-muted)', fontSize: 12 } } as const;
const GRID = { stroke: 'var(--border)', strokeDasharray: '3 3' } as const;
const TOOLTIP = {
  contentStyle: {
    background: 'var(--surface)',
    border: '1px solid var(--border-strong)',
    borderRadius: 6,
    color: 'var(--text)',
  },
  labelStyle: { color: 'var(--text)', fontWeight: 600 },
  cursor: { fill: 'var(--surface-sunken)' },
  isAnimationActive: false,
} as const;
const SIZE = { width: '100%', height: 300 } as const;
const MARGIN = { top: 20, right: 16, bottom: 16, left: 8 } as const;
/** Axis titles and value labels in the muted text colour of the theme. */
const yTitle = (value: string) =>
  ({ value, angle: -90, position: 'insideLeft', offset: 10, fill: 'var(--text-muted)', fontSize: 12 }) as const;
const xTitle = (value: string) =>
  ({ value, position: 'insideBottom', offset: -10, fill: 'var(--text-muted)', fontSize: 12 }) as const;
const VALUE_LABEL = { position: 'top', fill: 'var(--text-muted)', fontSize: 11 } as const;
const LEGEND = { wrapperStyle: { color: 'var(--text-muted)', fontSize: 12, paddingTop: 14 } } as const;

/** Legend and tooltip items in the order the series are drawn (Recharts sorts them by name otherwise). */
const legendOrder = (names: readonly string[]) => (item: { value?: unknown }) => names.indexOf(String(item.value));
const tooltipOrder = (names: readonly string[]) => (item: { name?: unknown }) => names.indexOf(String(item.name));

export const runLabel = (run: Pick<CockpitRun, 'number' | 'kind'>) =>
  `#${run.number}${run.kind === 'reimport-failed' ? ' re-import' : ''}`;

const errorsOf = (run: CockpitRun, label: string) => {
  const e = run.entities.find((x) => x.label === label);
  return e ? e.stagingErrors + e.targetErrors : null;
};

/** Errors per entity across cycles: one group of bars per run, one bar per entity. */
export function ErrorsPerEntityChart({ view }: { view: CockpitView }) {
  const rows = view.runs.map((run) => ({
    run: runLabel(run),
    values: Object.fromEntries(view.entities.map((label) => [label, errorsOf(run, label)])),
  }));
  const last = view.runs.at(-1);
  const worst = last
    ? [...last.entities].sort((a, b) => b.stagingErrors + b.targetErrors - (a.stagingErrors + a.targetErrors))[0]
    : undefined;
  const summary = last
    ? `${plural(view.runs.length, 'run')}; the latest, ${runLabel(last)}, has ${plural(
        last.entities.reduce((n, e) => n + e.stagingErrors + e.targetErrors, 0),
        'error',
      )}${worst && worst.stagingErrors + worst.targetErrors > 0 ? `, most in ${worst.label} (${count(worst.stagingErrors + worst.targetErrors)})` : ''}.`
    : '';
  return (
    <ChartCard
      title="Errors per entity across cycles"
      summary={summary}
      empty={
        view.runs.length === 0 ? 'No run yet: run the project from the Package area to see its errors here.' : null
      }
      chart={
        <BarChart data={rows} responsive style={SIZE} margin={MARGIN}>
          <CartesianGrid {...GRID} vertical={false} />
          <XAxis dataKey="run" {...AXIS} label={xTitle('Run')} />
          <YAxis allowDecimals={false} {...AXIS} label={yTitle('Errors')} />
          <Tooltip {...TOOLTIP} itemSorter={tooltipOrder(view.entities)} />
          <Legend {...LEGEND} itemSorter={legendOrder(view.entities)} />
          {view.entities.map((label, i) => (
            <Bar
              key={label}
              name={label}
              dataKey={(row: (typeof rows)[number]) => row.values[label] ?? 0}
              fill={colour(i)}
              maxBarSize={56}
              minPointSize={2}
              isAnimationActive={false}
            >
              {/* The count on every bar: an entity without errors shows a 0 on the axis instead of nothing. */}
              <LabelList {...VALUE_LABEL} />
            </Bar>
          ))}
        </BarChart>
      }
      table={
        <table className="table cockpit-table" aria-label="Errors per entity across cycles">
          <TableHead columns={['Entity', ...view.runs.map((r) => numeric(runLabel(r)))]} />
          <tbody>
            {view.entities.map((label) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                {view.runs.map((run) => {
                  const n = errorsOf(run, label);
                  return (
                    <td key={run.jobId} className="num">
                      {n === null ? '—' : count(n)}
                    </td>
                  );
                })}
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

const BURN_SERIES = ['Open errors', 'New', 'Resolved'];

/** Burn-down: errors still open after each run (a line), with the errors new and resolved in it (bars). */
export function BurnDownChart({ view }: { view: CockpitView }) {
  const rows = view.runs.map((run) => ({
    run: runLabel(run),
    open: run.openErrors,
    new: run.entities.reduce((n, e) => n + (e.new ?? 0), 0),
    resolved: run.entities.reduce((n, e) => n + (e.resolved ?? 0), 0),
  }));
  const first = rows[0];
  const last = rows.at(-1);
  const summary =
    first && last
      ? `Open errors went from ${count(first.open)} after ${first.run} to ${count(last.open)} after ${last.run}; ${last.run} resolved ${plural(last.resolved, 'distinct error')} and brought ${count(last.new)} new.`
      : '';
  return (
    <ChartCard
      title="Burn-down of open errors"
      summary={summary}
      empty={view.runs.length === 0 ? 'No run yet: the open errors of each cycle appear here.' : null}
      chart={
        <ComposedChart data={rows} responsive style={SIZE} margin={MARGIN}>
          <CartesianGrid {...GRID} vertical={false} />
          <XAxis dataKey="run" {...AXIS} label={xTitle('Run')} />
          <YAxis allowDecimals={false} {...AXIS} label={yTitle('Errors')} />
          <Tooltip {...TOOLTIP} itemSorter={tooltipOrder(BURN_SERIES)} />
          <Legend {...LEGEND} itemSorter={legendOrder(BURN_SERIES)} />
          {/* The bars' counts are in the tooltip and the table: labels would collide with the line's. */}
          <Bar name="New" dataKey="new" fill="var(--danger)" maxBarSize={18} isAnimationActive={false} />
          <Bar name="Resolved" dataKey="resolved" fill="var(--ok)" maxBarSize={18} isAnimationActive={false} />
          <Line
            name="Open errors"
            dataKey="open"
            stroke="var(--accent)"
            strokeWidth={2.5}
            dot={{ r: 4, fill: 'var(--accent)' }}
            isAnimationActive={false}
          >
            <LabelList {...VALUE_LABEL} fill="var(--accent)" fontSize={12} fontWeight={600} offset={10} />
          </Line>
        </ComposedChart>
      }
      table={
        <table className="table cockpit-table" aria-label="Burn-down of open errors">
          <TableHead columns={['Run', numeric('Open errors'), numeric('New'), numeric('Resolved')]} />
          <tbody>
            {rows.map((r) => (
              <tr key={r.run}>
                <th scope="row">{r.run}</th>
                <td className="num">{count(r.open)}</td>
                <td className="num">{count(r.new)}</td>
                <td className="num">{count(r.resolved)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

const seconds = (from: number, iso: string | null) =>
  iso === null ? null : Math.round((Date.parse(iso) - from) / 100) / 10;

/** The rows of a run's Gantt: in unit, level, sequence order, times in seconds from the first start. */
export function scheduleRows(schedule: readonly ScheduleEntry[]) {
  const starts = schedule.flatMap((s) => [s.stagingStart, s.targetStart]).filter((t): t is string => t !== null);
  const from = Math.min(...starts.map((t) => Date.parse(t)));
  return [...schedule]
    .sort((a, b) => a.unit - b.unit || a.level - b.level || a.sequence - b.sequence)
    .map((s) => {
      const staging = [seconds(from, s.stagingStart), seconds(from, s.stagingEnd ?? s.stagingStart)];
      const target = [seconds(from, s.targetStart), seconds(from, s.targetEnd ?? s.targetStart)];
      return {
        name: `U${s.unit} · L${s.level} · ${s.entity}`,
        entry: s,
        staging: staging[0] === null ? null : (staging as [number, number]),
        target: target[0] === null ? null : (target as [number, number]),
      };
    });
}

const range = (value: unknown) =>
  Array.isArray(value) && value.length === 2 ? `${String(value[0])} s → ${String(value[1])} s` : String(value);

/** The run schedule as a Gantt: each entity's staging and target steps on F&O's own clock. */
export function ScheduleChart({
  run,
  runs,
  onRun,
}: {
  run: CockpitRun | null;
  runs: readonly CockpitRun[];
  onRun: (jobId: string) => void;
}) {
  const withSchedule = runs.filter((r) => r.schedule !== null && r.schedule.length > 0);
  const rows = run?.schedule ? scheduleRows(run.schedule) : [];
  const units = new Set(rows.map((r) => r.entry.unit)).size;
  const end = Math.max(0, ...rows.flatMap((r) => [r.staging?.[1] ?? 0, r.target?.[1] ?? 0]));
  // F&O records step times to the second: a small run can start and end within one.
  const span =
    end === 0
      ? 'every step started and ended within the same second of F&O’s clock'
      : `${end} s from the first staging step to the last target step, as F&O timed them`;
  const summary = run
    ? `${runLabel(run)}: ${plural(rows.length, 'entity', 'entities')} in ${plural(units, 'execution unit')}, ${span}.`
    : '';
  return (
    <ChartCard
      title="Run schedule"
      summary={summary}
      empty={
        withSchedule.length === 0
          ? 'No run with F&O’s timings yet: a run records each entity’s staging and target times when F&O reports them (DataManagementExecutionJobDetails).'
          : null
      }
      tools={
        withSchedule.length > 0 && (
          <label className="chart-card__pick">
            <span className="visually-hidden">Run of the schedule</span>
            <select className="input" value={run?.jobId ?? ''} onChange={(e) => onRun(e.target.value)}>
              {withSchedule.map((r) => (
                <option key={r.jobId} value={r.jobId}>
                  {runLabel(r)}
                </option>
              ))}
            </select>
          </label>
        )
      }
      chart={
        <BarChart
          data={rows}
          layout="vertical"
          responsive
          style={{ width: '100%', height: Math.max(160, 44 * rows.length + 70) }}
          margin={{ top: 8, right: 24, bottom: 16, left: 8 }}
          barGap={2}
        >
          <CartesianGrid {...GRID} horizontal={false} />
          {/* Whole seconds, F&O's resolution; at least one wide, so a run within one second has an axis. */}
          <XAxis
            type="number"
            unit=" s"
            domain={[0, (max: number) => Math.max(1, max)]}
            allowDecimals={false}
            {...AXIS}
            label={xTitle('Seconds from the first staging step (F&O’s clock)')}
          />
          <YAxis type="category" dataKey="name" width={230} {...AXIS} />
          <Tooltip {...TOOLTIP} formatter={(value) => range(value)} />
          <Legend {...LEGEND} />
          {/* A step shorter than F&O's one-second resolution is drawn as a mark, not left out. */}
          <Bar
            name="Staging"
            dataKey="staging"
            fill="var(--chart-2)"
            barSize={12}
            minPointSize={4}
            isAnimationActive={false}
          />
          <Bar
            name="Target"
            dataKey="target"
            fill="var(--chart-1)"
            barSize={12}
            minPointSize={4}
            isAnimationActive={false}
          />
        </BarChart>
      }
      table={
        <table className="table cockpit-table" aria-label="Run schedule">
          <TableHead
            columns={['Entity', numeric('Unit'), numeric('Level'), numeric('Sequence'), 'Staging', 'Target']}
          />
          <tbody>
            {rows.map((r) => (
              <tr key={r.name}>
                <th scope="row">{r.entry.entity}</th>
                <td className="num">{r.entry.unit}</td>
                <td className="num">{r.entry.level}</td>
                <td className="num">{r.entry.sequence}</td>
                <td>{r.staging ? range(r.staging) : 'Not run'}</td>
                <td>{r.target ? range(r.target) : 'Not run'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    />
  );
}

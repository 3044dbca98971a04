import type { JobKind } from '../../api/domains/jobs';

export interface StepInfo {
  /** The runner's step name (electron/services/jobs/kinds). */
  readonly step: string;
  readonly label: string;
  /** What happens in it, for the monitor's tooltip and screen readers. */
  readonly detail: string;
}

const IMPORT_STEPS: readonly StepInfo[] = [
  {
    step: 'build',
    label: 'Build package',
    detail: 'Reads the sources and writes the data package with each row’s lineage.',
  },
  { step: 'upload', label: 'Upload', detail: 'Sends the package to the environment’s blob storage in blocks.' },
  { step: 'submit', label: 'Submit', detail: 'ImportFromPackage, sent exactly once for this execution id.' },
  {
    step: 'poll',
    label: 'F&O processing',
    detail: 'Source → staging → target, by execution unit, level and sequence.',
  },
  { step: 'results', label: 'Results', detail: 'Per-entity counts; staging and target errors mapped to source rows.' },
];

const EXPORT_STEPS: readonly StepInfo[] = [
  { step: 'define', label: 'Data project', detail: 'Creates or updates the export data project.' },
  { step: 'exportSubmit', label: 'Submit', detail: 'ExportToPackage for this execution id.' },
  { step: 'exportPoll', label: 'F&O export', detail: 'F&O writes the data package.' },
  { step: 'exportDownload', label: 'Download', detail: 'Downloads the exported package.' },
];

/** The steps of each job kind, in order. Steps not listed here are shown by their name. */
export const JOB_STEPS: Record<JobKind, readonly StepInfo[]> = {
  import: IMPORT_STEPS,
  export: [...EXPORT_STEPS, { step: 'open', label: 'Check package', detail: 'Opens the package to check it.' }],
  copy: [
    ...EXPORT_STEPS,
    { step: 'transform', label: 'Remap', detail: 'Keeps the chosen entities and remaps the legal entity.' },
    { step: 'diff', label: 'Diff', detail: 'Compares every record with the target: new, changed, same.' },
    { step: 'pause', label: 'Review', detail: 'Waits for you to confirm the diff.' },
    {
      step: 'select',
      label: 'Choices',
      detail:
        'Leaves out the records you unticked (or, insert only, every existing one) and keeps the target values you chose.',
    },
    ...IMPORT_STEPS.filter((s) => s.step !== 'build'),
    { step: 'verify', label: 'Verify', detail: 'Reads the target again: every copied record should now match.' },
  ],
  enqueue: [
    { step: 'send', label: 'Enqueue', detail: 'Sends the file to the recurring import job.' },
    { step: 'follow', label: 'F&O processing', detail: 'Follows the message status.' },
    { step: 'outcome', label: 'Outcome', detail: 'Reads the execution the message became.' },
  ],
  dequeue: [
    { step: 'dequeue', label: 'Dequeue', detail: 'Takes the next exported message.' },
    { step: 'download', label: 'Download', detail: 'Downloads its package.' },
    { step: 'ack', label: 'Acknowledge', detail: 'Tells F&O the package arrived.' },
  ],
};

export type StepStatus = 'done' | 'current' | 'pending' | 'failed' | 'skipped';

/**
 * Where each step of a job stands, from the step it is at and its state. A copy that was not
 * asked to pause for review never enters 'pause': that step is skipped, not pending.
 */
export function stepStatuses(
  kind: JobKind,
  step: string,
  state: 'queued' | 'running' | 'waiting' | 'succeeded' | 'partially-succeeded' | 'failed' | 'cancelled',
  visited: ReadonlySet<string>,
): { readonly info: StepInfo; readonly status: StepStatus }[] {
  const steps = JOB_STEPS[kind];
  const at = steps.findIndex((s) => s.step === step);
  const finished = step === 'done';
  return steps.map((info, i) => {
    let status: StepStatus;
    if (finished) status = visited.has(info.step) || info.step !== 'pause' ? 'done' : 'skipped';
    else if (at < 0) status = visited.has(info.step) ? 'done' : 'pending';
    else if (i < at) status = info.step === 'pause' && !visited.has('pause') ? 'skipped' : 'done';
    else if (i === at) status = state === 'failed' || state === 'cancelled' ? 'failed' : 'current';
    else status = 'pending';
    return { info, status };
  });
}

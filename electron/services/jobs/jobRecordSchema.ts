/**
 * What a job.json must hold to be loaded: a parseable but incomplete record (a hand edit, a
 * restore from a partial backup, a future bug) once made `jobs.list` fail with INTERNAL, and
 * every job command with it. Checked field by field; fields this version does not know are kept
 * (loose objects), so that a record written by a newer step of the same schema still loads.
 */
import { JOB_KINDS, JOB_STATES } from '../../../shared/api/domains/jobs';
import { ERROR_CODES } from '../../../shared/api/errors';
import { z } from '../../../shared/api/zod';

const EXECUTION_STATUSES = [
  'Unknown',
  'NotRun',
  'Executing',
  'Succeeded',
  'PartiallySucceeded',
  'Failed',
  'Canceled',
] as const;

const text = z.string().max(100_000);
const when = z.string().min(1).max(100);

const apiError = z.looseObject({ code: z.enum(ERROR_CODES), message: text });

const entityOutcome = z.looseObject({
  label: text,
  status: text,
  stagingRecords: z.number(),
  targetRecords: z.number(),
  stagingErrors: z.number(),
  targetErrors: z.number(),
});

const copyDiffEntity = z.looseObject({
  label: text,
  new: z.number(),
  changed: z.number(),
  same: z.number(),
  examples: z.array(z.looseObject({ key: text, fields: z.array(text) })),
  verified: z.number().nullable(),
});

export const jobRecordSchema = z.looseObject({
  schemaVersion: z.literal(1),
  id: z.string().min(1).max(200),
  kind: z.enum(JOB_KINDS),
  title: text,
  environmentId: text,
  environmentName: text,
  targetEnvironmentId: text.nullable(),
  state: z.enum(JOB_STATES),
  step: z.string().min(1).max(200),
  createdAt: when,
  updatedAt: when,
  finishedAt: when.nullable(),
  executionId: text.nullable(),
  executionStatus: z.enum(EXECUTION_STATUSES).nullable(),
  dataProject: text.nullable(),
  company: text.nullable(),
  entities: z.array(entityOutcome),
  errorCount: z.number(),
  output: text.nullable(),
  diff: z.array(copyDiffEntity).nullable(),
  messageId: text.nullable(),
  error: apiError.nullable(),
  timeline: z.array(z.looseObject({ at: when, step: text, state: z.enum(JOB_STATES) })).optional(),
  ranBy: z.looseObject({ account: text.nullable(), machineUser: text }).optional(),
  params: z.record(z.string(), z.unknown()),
  data: z.record(z.string(), z.unknown()),
});

/** What is wrong with a record, in a few words for the log and the message ("state: …; id: …"). */
export function recordProblems(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.map(String).join('.') || 'the record'}: ${issue.message}`)
    .join('; ');
}

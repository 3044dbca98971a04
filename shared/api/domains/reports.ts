/**
 * The sign-off report of a migration cycle: what a client signs at the end of a cycle. One cycle
 * is one import run of a project (projects.runs, numbered from the oldest: cycle 1); the report
 * says where each entity stands in it. Saved into the project (reports/cycle-<N>.html and .pdf),
 * written as HTML by the services and printed to PDF by Chromium (the desktop app's own
 * printToPDF; a Chromium or Chrome found on the machine for browser mode and the CLI).
 */
import { z } from '../zod';
import { method } from '../define';

export interface SignOffReportFiles {
  /** The cycle reported (1 = the project's first import run). */
  readonly cycle: number;
  /** The run (import job) of the cycle. */
  readonly jobId: string;
  readonly html: string;
  /** Null when no PDF was asked for, or Chromium could not print it (`pdfProblem` says why and what to do). */
  readonly pdf: string | null;
  readonly pdfProblem: string | null;
  /** A copy written where the consultant asked (`out`), when asked. */
  readonly out: string | null;
}

export const reportMethods = {
  'reports.signOff': method<SignOffReportFiles>()(
    "Write a cycle's sign-off report into the project (reports/cycle-<N>.html and .pdf): entities with counts, reconciliation, open errors by rule, value tables, package hash, environment and legal entity, who ran and reconciled it and when.",
    z
      .object({
        dir: z.string().min(1).max(4096),
        /** Default: the latest cycle. */
        cycle: z.number().int().min(1).max(100_000).optional(),
        /** The cycle of this import job (instead of `cycle`). */
        jobId: z.string().min(1).max(200).optional(),
        pdf: z.boolean().default(true),
        /** Also write the report here (.html or .pdf). */
        out: z
          .string()
          .min(1)
          .max(4096)
          .refine((p) => /\.(html?|pdf)$/i.test(p), 'Give the report a name ending in .pdf or .html.')
          .optional(),
        overwrite: z.boolean().default(false),
      })
      .strict(),
  ),
} as const;

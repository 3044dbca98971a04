/**
 * The archive comment on every package the workbench writes. F&O writes none, so a package with
 * it is ours: what it shows is the workbench's own guess, never learnt as F&O's word
 * (electron/services/metadata/packageOrigin.ts). Its own module: lint reads it without loading
 * the writer.
 */
export const WORKBENCH_PACKAGE_MARKER = 'Written by DMF Workbench';

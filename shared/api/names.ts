/**
 * The runtime allow-lists of method and event names, free of zod so that the sandboxed preload
 * stays small. contract.ts checks at compile time that these lists and the contract's keys are
 * exactly the same set: add a method there and here, or the build fails.
 */
export const METHOD_NAMES = [
  'app.info',
  'app.preferences',
  'app.setPreferences',
  'app.showInFolder',
  'environments.list',
  'environments.setActive',
  'environments.add',
  'environments.update',
  'environments.remove',
  'environments.connect',
  'environments.test',
  'environments.legalEntities',
  'auth.status',
  'auth.signIn',
  'auth.useAccount',
  'auth.signOut',
  'catalog.entities',
  'catalog.fields',
  'packages.plan',
  'packages.build',
  'packages.check',
  'packages.downloadLink',
  'projects.create',
  'projects.open',
  'projects.update',
  'projects.appendEdits',
  'projects.edits',
  'projects.saveRecipe',
  'projects.deleteRecipe',
  'projects.recipes',
  'projects.runs',
  'jobs.list',
  'jobs.get',
  'jobs.startImport',
  'jobs.startExport',
  'jobs.startCopy',
  'jobs.startEnqueue',
  'jobs.startDequeue',
  'jobs.confirm',
  'jobs.exportDiff',
  'jobs.cancel',
  'jobs.resume',
  'jobs.errors',
  'jobs.reimportFailed',
  'jobs.reimportPlan',
  'jobs.diffRows',
  'jobs.openErrors',
  'jobs.errorLink',
  'jobs.status',
  'jobs.saveErrors',
  'datasets.open',
  'datasets.packageEntities',
  'datasets.reopen',
  'datasets.list',
  'datasets.get',
  'datasets.close',
  'datasets.rows',
  'datasets.position',
  'datasets.edit',
  'datasets.undo',
  'datasets.redo',
  'datasets.find',
  'datasets.replace',
  'datasets.fillDown',
  'datasets.setValue',
  'datasets.transform',
  'datasets.facet',
  'datasets.recipe',
  'datasets.applyRecipe',
  'datasets.saveRecipe',
  'datasets.recipes',
  'datasets.deleteRecipe',
  'datasets.entities',
  'datasets.validate',
  'datasets.issues',
  'datasets.attachColumn',
  'datasets.save',
  'datasets.export',
  'datasets.browse',
  'datasets.pickFile',
] as const;

export const EVENT_NAMES = [
  'app.notice',
  'environments.changed',
  'auth.changed',
  'projects.changed',
  'jobs.changed',
  'jobs.progress',
  'datasets.progress',
  'datasets.changed',
  'datasets.validated',
  'datasets.closed',
] as const;

export type MethodName = (typeof METHOD_NAMES)[number];
export type EventNameLiteral = (typeof EVENT_NAMES)[number];

const methodSet: ReadonlySet<string> = new Set(METHOD_NAMES);
const eventSet: ReadonlySet<string> = new Set(EVENT_NAMES);

export function isMethod(value: unknown): value is MethodName {
  return typeof value === 'string' && methodSet.has(value);
}

export function isEventName(value: unknown): value is EventNameLiteral {
  return typeof value === 'string' && eventSet.has(value);
}

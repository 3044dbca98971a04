import { randomUUID } from 'node:crypto';
import type { CatalogIndex } from '../../shared/domain/catalog';
import { getEntitySequence } from '../../shared/domain/sequencing';
import type { DmfBlobStore } from '../blob/blobStore';
import type { EmulatorClock } from '../clock';
import { ActionFailure } from './actions';
import type { ActionHandler, ActionParams } from './actions';
import type { DmfService, ExportRequest, ImportRequest } from './dmfService';
import { summaryStatus } from './executions';

/** What the recurring-integrations side answers about its messages. */
export interface MessageLookup {
  /** A §3.5 status name, or null for an unknown message id. */
  messageStatus(messageId: string): string | null;
  /** The execution id, the zero GUID while not processed, or null for an unknown message id. */
  executionIdOf(messageId: string): string | null;
}

export interface DmfActionDeps {
  readonly blobs: DmfBlobStore;
  readonly dmf: DmfService;
  readonly catalog: CatalogIndex;
  readonly clock: EmulatorClock;
  readonly messages: MessageLookup;
  /** The environment URL (the execution summary page lives there). */
  readonly baseUrl: string;
}

/** The longest uniqueFileName accepted: Azure blob names stop at 1,024 characters. */
const MAX_BLOB_NAME = 1024;
const ZERO_GUID = '00000000-0000-0000-0000-000000000000';

/** The DMF package API actions by name (dmf-reference.md §2). */
export function createDmfActions(deps: DmfActionDeps): Record<string, ActionHandler> {
  const { blobs, dmf, catalog, clock, messages, baseUrl } = deps;

  const importRequest = (p: ActionParams): ImportRequest => ({
    packageUrl: p.string('packageUrl', { required: true }),
    definitionGroupId: p.string('definitionGroupId', { required: true }),
    executionId: p.string('executionId'),
    execute: p.boolean('execute', true),
    overwrite: p.boolean('overwrite', false),
    legalEntityId: p.string('legalEntityId'),
  });
  const exportRequest = (p: ActionParams, preview: boolean): ExportRequest => ({
    definitionGroupId: p.string('definitionGroupId', { required: true }),
    packageName: p.string('packageName'),
    executionId: p.string('executionId'),
    reExecute: p.boolean('reExecute', false),
    legalEntityId: p.string('legalEntityId'),
    // The docs call it `count`; a metadata-derived client uses `exportPreviewCount`: both work [INFER].
    ...(preview ? { previewCount: p.has('count') ? p.integer('count', 0) : p.integer('exportPreviewCount', 0) } : {}),
  });
  const ImportFromPackage: ActionHandler = (p) => ({ value: dmf.startImport(importRequest(p)).id });
  const ExportToPackage: ActionHandler = (p) => ({ value: dmf.startExport(exportRequest(p, false)).id });
  const ExportToPackagePreview: ActionHandler = (p) => ({ value: dmf.startExport(exportRequest(p, true)).id });
  const InitializeDataManagement: ActionHandler = () => ({ value: true, type: 'Edm.Boolean' });
  const execution = (p: ActionParams) => dmf.require(p.string('executionId', { required: true }));

  return {
    GetAzureWriteUrl(p) {
      const name = p.string('uniqueFileName', { required: true });
      // [INFER] F&O's exact answer to an empty or odd name is not documented: refuse what Azure
      // would refuse (empty, too long, control characters, a trailing dot or slash).
      if (
        !name ||
        name.length > MAX_BLOB_NAME ||
        hasControlCharacter(name) ||
        name.includes('\\') ||
        /[./]$/.test(name)
      ) {
        throw new ActionFailure(
          `The file name '${name.slice(0, 100)}' is not a valid blob name: use 1 to ${MAX_BLOB_NAME} characters, no control characters or backslashes, not ending in '.' or '/'.`,
        );
      }
      // The value is a JSON *string* holding JSON: clients decode it twice [DOC][ISSUE #2450].
      return { value: JSON.stringify({ BlobId: `{${randomUUID().toUpperCase()}}`, BlobUrl: blobs.writeUrl(name) }) };
    },
    ImportFromPackage,
    ImportFromPackageAsync: ImportFromPackage,
    // RIS calls it ExportFromPackage with the import parameters [CLIENT]; it behaves as an import.
    ExportFromPackage: ImportFromPackage,
    // Flat string values, not the { value: { value } } the docs show [ISSUE #4322][CLIENT].
    ExportToPackage,
    ExportToPackageAsync: ExportToPackage,
    // [INFER] A delta export: the project's entities as they are set (incremental ones export
    // what changed since the last run), like ExportToPackage; entityList is not applied.
    ExportToPackageDelta: ExportToPackage,
    ImportFromDMTPackage() {
      throw new ActionFailure(
        'The emulator does not run Data Migration Toolkit (DMT) packages: import them with ImportFromPackage.',
      );
    },
    ExportToPackagePreview,
    ExportToPackagePreviewAsync: ExportToPackagePreview,
    GetExportedPackageUrl(p) {
      const x = execution(p);
      const status = summaryStatus(x, clock.now());
      // "" until the package exists: clients poll until the value is non-empty [CLIENT].
      const ready = x.kind === 'export' && x.packageBlob && (status === 'Succeeded' || status === 'PartiallySucceeded');
      return { value: ready && x.packageBlob ? blobs.readUrl(x.packageBlob) : '' };
    },
    GetExecutionSummaryStatus(p) {
      return {
        value: summaryStatus(execution(p), clock.now()),
        type: 'Microsoft.Dynamics.DataEntities.DMFExecutionSummaryStatus',
      };
    },
    GetEntityExecutionSummaryStatusList(p) {
      const x = execution(p);
      const status = summaryStatus(x, clock.now());
      // [INFER] One "<entity label>:<status>" per entity: the element format is undocumented.
      return {
        value: x.entities.map((e) => `${e.label}:${status}`),
        type: 'Collection(Edm.String)',
      };
    },
    GetExecutionErrors(p) {
      const x = execution(p);
      // A JSON-encoded array *as a string*; "[]" when there are none [ISSUE #2074]. Errors appear
      // once the job has processed the rows, not while it is still waiting for the batch.
      const status = summaryStatus(x, clock.now());
      const shown = status === 'NotRun' || (status === 'Executing' && x.finishAt === null) ? [] : x.messages;
      return {
        value: JSON.stringify(
          shown.map((m) => ({ RecordId: m.RecordId, Field: m.Field, ErrorMessage: m.ErrorMessage })),
        ),
      };
    },
    GetImportStagingErrorFileUrl(p) {
      const x = execution(p);
      const entity = dmf.entityOf(x, p.string('entityName', { required: true }));
      const blob = entity ? x.stagingErrorFiles[entity.label] : undefined;
      return { value: blob && x.finishAt !== null && clock.now() >= x.finishAt ? blobs.readUrl(blob) : '' };
    },
    async GenerateImportTargetErrorKeysFile(p) {
      const x = execution(p);
      return {
        value: await dmf.generateTargetErrorKeys(x, p.string('entityName', { required: true })),
        type: 'Edm.Boolean',
      };
    },
    GetImportTargetErrorKeysFileUrl(p) {
      const x = execution(p);
      const entity = dmf.entityOf(x, p.string('entityName', { required: true }));
      const file = entity ? x.targetErrorKeysFiles[entity.label] : undefined;
      // "" while the file is being generated, or when there are no errors [DOC].
      return { value: file && clock.now() >= file.readyAt ? blobs.readUrl(file.blob) : '' };
    },
    GetMessageStatus(p) {
      const id = p.string('messageId', { required: true });
      const status = messages.messageStatus(id);
      if (status === null) throw new ActionFailure(`The message id '${id}' was not found.`);
      return { value: status };
    },
    GetExecutionIdByMessageId(p) {
      // The parameter name has a leading underscore [DOC].
      const id = p.string('_messageId', { required: true });
      const executionId = messages.executionIdOf(id);
      if (executionId === null) throw new ActionFailure(`The message id '${id}' was not found.`);
      return { value: executionId || ZERO_GUID };
    },
    GetEntitySequence(p) {
      return { value: getEntitySequence(p.string('listOfDataEntities', { required: true }), catalog) };
    },
    ResetVersionToken(p) {
      const project = dmf.projects.get(p.string('definitionGroupId', { required: true }));
      if (!project) throw new ActionFailure(`The data project '${p.string('definitionGroupId')}' does not exist.`);
      const entity = catalog.findEntity(p.string('entityName', { required: true }));
      if (!entity)
        throw new ActionFailure(`Entity '${p.string('entityName')}' is not a data entity of this environment.`);
      // The next incremental export of this entity in this project is a full push again.
      project.watermarks = Object.fromEntries(
        Object.entries(project.watermarks).filter(([key]) => !key.startsWith(`${entity.targetEntity}|`)),
      );
      return { value: true, type: 'Edm.Boolean' };
    },
    InitializeDataManagement,
    InitializeDataManagementAsync: InitializeDataManagement,
    GetExecutionSummaryPageUrl(p) {
      const x = execution(p);
      return { value: `${baseUrl}/?mi=DMFExecutionSummary&executionId=${encodeURIComponent(x.id)}` };
    },
    DeleteExecutionHistoryJob(p) {
      return { value: dmf.deleteHistory(execution(p)), type: 'Edm.Boolean' };
    },
  };
}

function hasControlCharacter(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x20 || c === 0x7f) return true;
  }
  return false;
}

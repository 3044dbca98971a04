/**
 * The DMF package API as F&O's $metadata declares it: actions bound to the collection of
 * DataManagementDefinitionGroup (POST …/data/DataManagementDefinitionGroups/
 * Microsoft.Dynamics.DataEntities.<Action>), with their parameters and return types. One table
 * for the two sides that must agree: the emulator's $metadata and its strict parameter check.
 *
 * Sources: the actions and parameter names are Microsoft's (data-management-api.md) and those a
 * metadata-derived client lists (mafzaal/d365fo-client DMF spec, 25 actions) [3P]; return types
 * from the same and dmf-reference.md §2. [INFER] Nullability: strings nullable (ODataLib lets them
 * be left out), booleans and integers not (ODataLib then insists on them).
 */
export type ActionParameterType = 'Edm.String' | 'Edm.Boolean' | 'Edm.Int32';

export interface PackageApiParameter {
  readonly name: string;
  readonly type: ActionParameterType;
  readonly nullable: boolean;
}

export interface PackageApiAction {
  readonly name: string;
  readonly parameters: readonly PackageApiParameter[];
  /** The return type ($metadata ReturnType), or null for none. */
  readonly returns: string | null;
}

export const DMF_EXECUTION_SUMMARY_STATUS = [
  'Unknown',
  'NotRun',
  'Executing',
  'Succeeded',
  'PartiallySucceeded',
  'Failed',
  'Canceled',
] as const;

const str = (name: string): PackageApiParameter => ({ name, type: 'Edm.String', nullable: true });
const bool = (name: string): PackageApiParameter => ({ name, type: 'Edm.Boolean', nullable: false });
const int = (name: string): PackageApiParameter => ({ name, type: 'Edm.Int32', nullable: false });

const STRING = 'Edm.String';
const BOOLEAN = 'Edm.Boolean';
const importParameters = [
  str('packageUrl'),
  str('definitionGroupId'),
  str('executionId'),
  bool('execute'),
  bool('overwrite'),
  str('legalEntityId'),
];
const exportParameters = [
  str('definitionGroupId'),
  str('packageName'),
  str('executionId'),
  bool('reExecute'),
  str('legalEntityId'),
];
const execution = [str('executionId')];
const executionEntity = [str('executionId'), str('entityName')];

export const PACKAGE_API_ACTIONS: readonly PackageApiAction[] = [
  { name: 'GetAzureWriteUrl', parameters: [str('uniqueFileName')], returns: STRING },
  { name: 'ImportFromPackage', parameters: importParameters, returns: STRING },
  { name: 'ImportFromPackageAsync', parameters: importParameters, returns: STRING },
  {
    name: 'ImportFromDMTPackage',
    parameters: [...importParameters, str('importBatchGroupId'), bool('failOnError')],
    returns: STRING,
  },
  { name: 'ExportFromPackage', parameters: importParameters, returns: STRING },
  { name: 'ExportToPackage', parameters: exportParameters, returns: STRING },
  { name: 'ExportToPackageAsync', parameters: [...exportParameters, str('entityList')], returns: STRING },
  { name: 'ExportToPackageDelta', parameters: [...exportParameters, str('entityList')], returns: STRING },
  { name: 'ExportToPackagePreview', parameters: [...exportParameters, int('exportPreviewCount')], returns: STRING },
  {
    name: 'ExportToPackagePreviewAsync',
    parameters: [...exportParameters, int('exportPreviewCount')],
    returns: STRING,
  },
  { name: 'GetExportedPackageUrl', parameters: execution, returns: STRING },
  {
    name: 'GetExecutionSummaryStatus',
    parameters: execution,
    returns: 'Microsoft.Dynamics.DataEntities.DMFExecutionSummaryStatus',
  },
  { name: 'GetEntityExecutionSummaryStatusList', parameters: execution, returns: 'Collection(Edm.String)' },
  { name: 'GetExecutionErrors', parameters: execution, returns: STRING },
  { name: 'GetImportStagingErrorFileUrl', parameters: executionEntity, returns: STRING },
  { name: 'GenerateImportTargetErrorKeysFile', parameters: executionEntity, returns: BOOLEAN },
  { name: 'GetImportTargetErrorKeysFileUrl', parameters: executionEntity, returns: STRING },
  { name: 'GetMessageStatus', parameters: [str('messageId')], returns: STRING },
  { name: 'GetExecutionIdByMessageId', parameters: [str('_messageId')], returns: STRING },
  { name: 'GetEntitySequence', parameters: [str('listOfDataEntities')], returns: STRING },
  {
    name: 'ResetVersionToken',
    parameters: [str('definitionGroupId'), str('entityName'), str('sourceName')],
    returns: BOOLEAN,
  },
  { name: 'InitializeDataManagement', parameters: [], returns: BOOLEAN },
  { name: 'InitializeDataManagementAsync', parameters: [], returns: BOOLEAN },
  { name: 'GetExecutionSummaryPageUrl', parameters: execution, returns: STRING },
  { name: 'DeleteExecutionHistoryJob', parameters: execution, returns: BOOLEAN },
];

/**
 * Parameter names the emulator also takes though $metadata does not declare them [INFER]:
 * data-management-api.md documents ExportToPackagePreview's record limit as `count`, a
 * metadata-derived client sends `exportPreviewCount`. Until a real $metadata settles it, both.
 */
export const TOLERATED_ALIASES: Readonly<Record<string, readonly PackageApiParameter[]>> = {
  ExportToPackagePreview: [{ name: 'count', type: 'Edm.Int32', nullable: true }],
  ExportToPackagePreviewAsync: [{ name: 'count', type: 'Edm.Int32', nullable: true }],
};

/** Human resources setup: job functions and types, position types, titles, origins, languages, unions, employments, assignments. */
import { INF, noYes, ref, text, utcDateTime } from '../define';
import type { EntitySpec } from '../define';
import { cdmBacked } from './cdm';
import { systemSetupExport } from './sources';

const area = 'Human resources' as const;
/** The System setup package holds a data file of this entity, named after its label (dmf-reference.md §1.4). */
const EXPORT_FILE = systemSetupExport('label (the data file F&O named after it)');

/** An HR lookup: an id, a description and perhaps a few flags. */
function lookup(
  label: string,
  targetEntity: string,
  collection: string,
  key: string,
  extra: ReturnType<typeof text>[] = [],
  also: ReturnType<typeof systemSetupExport>[] = [],
): EntitySpec {
  return cdmBacked({
    label,
    publicEntityName: collection.replace(/s$/, ''),
    publicCollectionName: collection,
    targetEntity,
    area,
    companySpecific: false,
    keys: [key.toUpperCase()],
    fields: [text(key, 50, INF), ...extra],
    cdm: `HumanResources/HRM/${targetEntity}.md`,
    also,
  });
}

export const HUMAN_RESOURCES: readonly EntitySpec[] = [
  lookup(
    'Ethnic origins',
    'HcmEthnicOriginEntity',
    'EthnicOrigins',
    'EthnicOriginId',
    [text('Description', 60, INF)],
    [EXPORT_FILE],
  ),
  lookup('Compensation job function', 'HcmJobFunctionEntity', 'JobFunctions', 'JobFunctionId', [
    text('Description', 60, INF),
  ]),
  lookup('Compensation job type', 'HcmJobTypeEntity', 'JobTypes', 'JobTypeId', [
    text('Description', 60, INF),
    // [INFER] an enum (exempt, non-exempt); text until sourced.
    text('ExemptStatus', 60, INF),
    noYes('PaidHourly', INF),
  ]),
  lookup('Titles', 'HcmTitleEntity', 'Titles', 'TitleId', [], [EXPORT_FILE]),
  lookup(
    'Language codes',
    'HcmLanguageCodeEntity',
    'LanguageCodes',
    'LanguageCodeId',
    [text('Description', 60, INF)],
    [EXPORT_FILE],
  ),
  lookup('Position type', 'HcmPositionTypeEntity', 'PositionTypes', 'PositionTypeId', [
    // [INFER] an enum (full time, part time…); text until sourced.
    text('Classification', 60, INF),
    text('Description', 60, INF),
  ]),
  lookup('Position hierarchy types', 'HcmPositionHierarchyTypeEntity', 'PositionHierarchyTypes', 'Name', [
    text('HierarchyType', 60, INF),
    noYes('IsImmutable', INF),
  ]),
  lookup('Labor unions', 'HcmLaborUnionEntity', 'LaborUnions', 'UnionId', [
    noYes('EntitledToNegotiate', INF),
    text('Name', 100, INF),
  ]),
  cdmBacked({
    label: 'Position worker assignments',
    publicEntityName: 'PositionWorkerAssignment',
    publicCollectionName: 'PositionWorkerAssignments',
    targetEntity: 'HcmPositionWorkerAssignmentEntity',
    area,
    companySpecific: false,
    keys: ['POSITIONID', 'VALIDFROM'],
    fields: [
      text('PositionId', 25, INF),
      utcDateTime('ValidFrom', INF),
      noYes('IsPrimaryPosition', INF),
      text('PersonnelNumber', 25, INF),
      text('ReasonCodeId', 10, INF),
      utcDateTime('ValidTo', INF),
    ],
    relations: [
      ref('POSITIONID', 'HcmPositionEntity', { inferred: true }),
      ref('PERSONNELNUMBER', 'HcmWorkerEntity', { inferred: true }),
    ],
    cdm: 'HumanResources/HRM/HcmPositionWorkerAssignmentEntity.md',
  }),
  cdmBacked({
    label: 'Employment',
    publicEntityName: 'Employment',
    publicCollectionName: 'Employments',
    targetEntity: 'HcmEmploymentEntity',
    area,
    companySpecific: false,
    keys: ['PERSONNELNUMBER', 'LEGALENTITYID', 'EMPLOYMENTSTARTDATE'],
    fields: [
      text('PersonnelNumber', 25, INF),
      text('LegalEntityId', 4, INF),
      utcDateTime('EmploymentStartDate', INF),
      text('CalendarId', 10, INF),
      text('CalendarLegalEntityId', 4, INF),
      text('DimensionDisplayValue', 500, INF),
      utcDateTime('EmploymentEndDate', INF),
      text('RegulatoryEstablishmentId', 20, INF),
      // [INFER] an enum (employee, contractor); text until sourced.
      text('WorkerType', 60, INF),
    ],
    relations: [
      ref('PERSONNELNUMBER', 'HcmWorkerEntity', { inferred: true }),
      ref('LEGALENTITYID', 'OMLegalEntity', { inferred: true }),
    ],
    cdm: 'HumanResources/HRM/HcmEmploymentEntity.md',
  }),
];

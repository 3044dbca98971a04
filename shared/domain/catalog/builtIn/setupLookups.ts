/**
 * First-wave setup entities known by their AOT name from the Common Data Model listing of F&O's
 * entities, plus three whose pages were read (Financial reasons, Journal descriptions, Number
 * sequence group). For the listed ones the label, key and fields follow F&O's naming and are
 * inferred: live metadata or an F&O export of the entity replaces them.
 */
import { INF, date, noYes, real, ref, text } from '../define';
import type { EntitySpec } from '../define';
import type { CatalogField, EntityArea, FactSource } from '../types';
import { cdmBacked, cdmListed } from './cdm';

interface Lookup {
  readonly label: string;
  readonly target: string;
  readonly folder: string;
  readonly area: EntityArea;
  readonly companySpecific: boolean;
  readonly keys: readonly CatalogField[];
  readonly fields?: readonly CatalogField[];
  readonly relations?: EntitySpec['relations'];
  /** The entity's CDM page was read (label, target entity and field names established). */
  readonly read?: boolean;
  readonly also?: readonly FactSource[];
}

function entity(l: Lookup): EntitySpec {
  const name = l.target.replace(/Entity$/, '');
  const spec = {
    label: l.label,
    publicEntityName: name,
    publicCollectionName: `${name}s`,
    targetEntity: l.target,
    area: l.area,
    companySpecific: l.companySpecific,
    keys: l.keys.map((f) => f.name),
    fields: [...l.keys, ...(l.fields ?? [])],
    ...(l.relations === undefined ? {} : { relations: l.relations }),
    cdm: `${l.folder}/${l.target}.md`,
    ...(l.also === undefined ? {} : { also: l.also }),
  };
  return l.read ? cdmBacked(spec) : cdmListed(spec);
}

const GL = 'Finance/GeneralLedger';
const DIM = 'Finance/FinancialDimensions';
const AR = 'Finance/AccountsReceivable';
const AP = 'Finance/AccountsPayable';
const GAB = 'Common/GAB';
const SYS = 'System/SystemAdministration';
const HRM = 'HumanResources/HRM';
const INV = 'SupplyChain/InventoryAndWarehouseManagement';
const gl = 'General ledger' as const;
const ar = 'Accounts receivable' as const;
const ap = 'Accounts payable' as const;
const hr = 'Human resources' as const;
const inventory = 'Inventory management' as const;

const description = () => text('Description', 60, INF);
/** [INFER] journal line numbers are reals in F&O (LineNum), written with 16 decimals. */
const lineNumber = () => real('LineNumber', INF, 16);
const journalBatch = () => text('JournalBatchNumber', 10, INF);
const journalName = () => text('JournalName', 10, INF);

/** A journal name setup: name, description, voucher series. */
const journalNames = (label: string, target: string): Lookup => ({
  label,
  target,
  folder: INV,
  area: inventory,
  companySpecific: true,
  keys: [journalName()],
  fields: [description(), text('VoucherNumberSequenceCode', 20, INF)],
});

/** A journal header: batch number, name, description, posted. */
const journalHeader = (
  label: string,
  target: string,
  folder: string,
  area: EntityArea,
  nameTarget?: string,
): Lookup => ({
  label,
  target,
  folder,
  area,
  companySpecific: true,
  keys: [journalBatch()],
  fields: [description(), noYes('IsPosted', INF), journalName()],
  ...(nameTarget === undefined ? {} : { relations: [ref('JOURNALNAME', nameTarget, { inferred: true })] }),
});

/** A journal line: batch number and line number, with the header as its parent. */
const journalLine = (
  label: string,
  target: string,
  folder: string,
  area: EntityArea,
  header: string,
  fields: CatalogField[],
): Lookup => ({
  label,
  target,
  folder,
  area,
  companySpecific: true,
  keys: [journalBatch(), lineNumber()],
  fields,
  relations: [ref('JOURNALBATCHNUMBER', header, { inferred: true })],
});

const LOOKUPS: readonly Lookup[] = [
  // General ledger and financial dimensions.
  {
    label: 'Financial reasons',
    target: 'LedgerFinancialReasonEntity',
    folder: GL,
    area: gl,
    companySpecific: true,
    keys: [text('ReasonCode', 10, INF)],
    fields: [
      text('DefaultComment', 60, INF),
      noYes('ForAssetTransactionType', INF),
      noYes('ForBankTransactionType', INF),
      noYes('ForCustomerTransactionType', INF),
      noYes('ForLedgerTransactionType', INF),
      noYes('ForVendorTransactionType', INF),
    ],
    read: true,
  },
  {
    label: 'Journal descriptions',
    target: 'LedgerJournalDescriptionsEntity',
    folder: GL,
    area: gl,
    companySpecific: true,
    keys: [text('Identification', 10, INF)],
    fields: [description(), text('SearchName', 20, INF)],
    read: true,
  },
  {
    label: 'Main account translations',
    target: 'MainAccountTranslationEntity',
    folder: GL,
    area: gl,
    companySpecific: false,
    keys: [text('MainAccountId', 20, INF), text('ChartOfAccounts', 60, INF), text('LanguageId', 7, INF)],
    fields: [text('Name', 60, INF)],
    relations: [ref(['MAINACCOUNTID', 'CHARTOFACCOUNTS'], 'MainAccountEntity', { inferred: true })],
  },
  {
    label: 'Financial dimension translations',
    target: 'DimensionAttributeTranslationEntity',
    folder: DIM,
    area: gl,
    companySpecific: false,
    keys: [text('DimensionName', 30, INF), text('LanguageId', 7, INF)],
    fields: [text('Name', 60, INF)],
    relations: [ref('DIMENSIONNAME', 'DimensionAttributeEntity', { inferred: true })],
  },
  {
    label: 'Financial dimension value translations',
    target: 'FinancialDimensionValueTranslationEntity',
    folder: DIM,
    area: gl,
    companySpecific: false,
    keys: [text('FinancialDimension', 30, INF), text('DimensionValue', 30, INF), text('LanguageId', 7, INF)],
    fields: [description()],
    relations: [ref(['FINANCIALDIMENSION', 'DIMENSIONVALUE'], 'FinancialDimensionValueEntity', { inferred: true })],
  },
  {
    label: 'Financial dimension value legal entity overrides',
    target: 'FinancialDimensionValueLegalEntityOverrideEntity',
    folder: DIM,
    area: gl,
    companySpecific: false,
    keys: [text('FinancialDimension', 30, INF), text('DimensionValue', 30, INF), text('LegalEntityId', 4, INF)],
    fields: [date('ActiveFrom', INF), date('ActiveTo', INF), noYes('IsSuspended', INF)],
    relations: [ref(['FINANCIALDIMENSION', 'DIMENSIONVALUE'], 'FinancialDimensionValueEntity', { inferred: true })],
  },
  // Accounts receivable.
  {
    label: 'Customer posting profile lines',
    target: 'CustCustomerPostingProfileLineEntity',
    folder: AR,
    area: ar,
    companySpecific: true,
    keys: [text('PostingProfile', 10, INF), text('AccountCode', 60, INF), text('AccountRelation', 20, INF)],
    fields: [text('SummaryAccountDisplayValue', 500, INF)],
    relations: [ref('POSTINGPROFILE', 'CustCustomerPostingProfileHeaderEntity', { inferred: true })],
  },
  {
    label: 'Interest codes',
    target: 'CustInterestCodeEntity',
    folder: AR,
    area: ar,
    companySpecific: true,
    keys: [text('InterestCode', 10, INF)],
    fields: [description()],
  },
  {
    label: 'Commission customer groups',
    target: 'CommissionCustomerGroupEntity',
    folder: AR,
    area: ar,
    companySpecific: true,
    keys: [text('GroupId', 10, INF)],
    fields: [text('Name', 60, INF)],
  },
  {
    label: 'Customer details V2',
    target: 'CustCustomerDetailV2Entity',
    folder: AR,
    area: ar,
    companySpecific: true,
    keys: [text('CustomerAccount', 20, INF)],
    relations: [ref('CUSTOMERACCOUNT', 'CustCustomerV3Entity', { inferred: true })],
  },
  {
    // The label and target entity are F&O's own: an exported manifest names them (dmf-reference.md §1.8 #3).
    label: 'Customer definitions',
    target: 'CustCustomerBaseEntity',
    folder: AR,
    area: ar,
    companySpecific: true,
    keys: [text('CustomerAccount', 20, INF)],
    fields: [text('CustomerGroupId', 10, INF)],
    relations: [ref('CUSTOMERGROUPID', 'CustCustomerGroupEntity', { inferred: true })],
    also: [
      {
        kind: 'real-export',
        ref: 'Itaneo/d365fo-data-migration@9b39202437c342ce7566a759375e50e5abdb5456 Dynamics365ImportData/Dynamics365ImportData/Definition/CustCustomerBaseEntity/Manifest.xml (dmf-reference.md §1.8 #3)',
        covers: 'label, target entity',
      },
    ],
  },
  journalHeader('Customer invoice journal header', 'CustInvoiceJournalHeaderEntity', AR, ar, 'LedgerJournalNameEntity'),
  journalLine(
    'Customer invoice journal line',
    'CustInvoiceJournalLineEntity',
    AR,
    ar,
    'CustInvoiceJournalHeaderEntity',
    [
      text('AccountDisplayValue', 500, INF),
      real('CreditAmount', INF),
      text('CurrencyCode', 3, INF),
      real('DebitAmount', INF),
      text('Invoice', 20, INF),
      date('TransDate', INF),
    ],
  ),
  // Accounts payable.
  {
    label: 'Vendor posting profile lines',
    target: 'VendorPostingProfileLineEntity',
    folder: AP,
    area: ap,
    companySpecific: true,
    keys: [text('PostingProfile', 10, INF), text('AccountCode', 60, INF), text('AccountRelation', 20, INF)],
    fields: [text('SummaryAccountDisplayValue', 500, INF)],
    relations: [ref('POSTINGPROFILE', 'VendorPostingProfileHeaderEntity', { inferred: true })],
  },
  journalLine(
    'Vendor payment journal line',
    'VendorPaymentJournalLineEntity',
    AP,
    ap,
    'VendorPaymentJournalHeaderEntity',
    [
      text('AccountDisplayValue', 500, INF),
      real('CreditAmount', INF),
      text('CurrencyCode', 3, INF),
      real('DebitAmount', INF),
      text('PaymentMethodName', 10, INF),
      date('TransactionDate', INF),
    ],
  ),
  journalLine('Vendor invoice journal line', 'VendInvoiceJournalLineEntity', AP, ap, 'VendInvoiceJournalHeaderEntity', [
    text('AccountDisplayValue', 500, INF),
    real('CreditAmount', INF),
    text('CurrencyCode', 3, INF),
    real('DebitAmount', INF),
    text('InvoiceId', 20, INF),
    date('TransactionDate', INF),
  ]),
  {
    label: 'Vendor invoice header',
    target: 'VendorInvoiceHeaderEntity',
    folder: AP,
    area: ap,
    companySpecific: true,
    keys: [text('HeaderReference', 20, INF)],
    fields: [text('InvoiceAccount', 20, INF), date('InvoiceDate', INF), text('InvoiceNumber', 20, INF)],
  },
  {
    label: 'Vendor invoice lines',
    target: 'VendorInvoiceLineEntity',
    folder: AP,
    area: ap,
    companySpecific: true,
    keys: [text('HeaderReference', 20, INF), real('InvoiceLineNumber', INF, 16)],
    fields: [text('ItemNumber', 20, INF), real('ReceiveNow', INF)],
    relations: [ref('HEADERREFERENCE', 'VendorInvoiceHeaderEntity', { inferred: true })],
  },
  // Global address book and system.
  {
    label: 'Business units',
    target: 'OMBusinessUnitEntity',
    folder: GAB,
    area: 'Global address book',
    companySpecific: false,
    keys: [text('OperatingUnitNumber', 20, INF)],
    fields: [text('Name', 100, INF)],
  },
  {
    label: 'Cost centers',
    target: 'OMCostCenterEntity',
    folder: GAB,
    area: 'Global address book',
    companySpecific: false,
    keys: [text('OperatingUnitNumber', 20, INF)],
    fields: [text('Name', 100, INF)],
  },
  {
    label: 'Country/region translations',
    target: 'LogisticsAddressCountryRegionTranslationEntity',
    folder: GAB,
    area: 'System setup',
    companySpecific: false,
    keys: [text('CountryRegionId', 10, INF), text('LanguageId', 7, INF)],
    fields: [text('LongName', 60, INF), text('ShortName', 60, INF)],
    relations: [ref('COUNTRYREGIONID', 'LogisticsAddressCountryRegionEntity', { inferred: true })],
  },
  {
    label: 'Number sequence group',
    target: 'NumberSequenceGroupEntity',
    folder: SYS,
    area: 'System setup',
    companySpecific: true,
    keys: [text('NumberSequenceGroup', 10, INF)],
    fields: [text('description', 60, INF)],
    read: true,
  },
  {
    label: 'Document types',
    target: 'DocuTypeEntity',
    folder: SYS,
    area: 'System setup',
    companySpecific: true,
    keys: [text('TypeId', 50, INF)],
    fields: [text('Name', 60, INF)],
  },
  {
    label: 'Batch groups',
    target: 'BatchGroupEntity',
    folder: SYS,
    area: 'System setup',
    companySpecific: false,
    keys: [text('GroupId', 10, INF)],
    fields: [description()],
  },
  // Human resources.
  {
    label: 'Position hierarchies',
    target: 'HcmPositionHierarchyEntity',
    folder: HRM,
    area: hr,
    companySpecific: false,
    keys: [text('PositionId', 25, INF), text('HierarchyTypeName', 60, INF)],
    fields: [text('ParentPositionId', 25, INF)],
    relations: [ref('POSITIONID', 'HcmPositionEntity', { inferred: true })],
  },
  {
    label: 'Worker bank accounts',
    target: 'HcmWorkerBankAccountEntity',
    folder: HRM,
    area: hr,
    companySpecific: false,
    keys: [text('PersonnelNumber', 25, INF), text('AccountIdentification', 10, INF)],
    fields: [text('AccountNumber', 34, INF), text('Name', 60, INF)],
    relations: [ref('PERSONNELNUMBER', 'HcmWorkerEntity', { inferred: true })],
  },
  // Inventory management.
  {
    label: 'Buyer groups',
    target: 'InventBuyerGroupEntity',
    folder: INV,
    area: inventory,
    companySpecific: true,
    keys: [text('BuyerGroupId', 10, INF)],
    fields: [description()],
  },
  {
    label: 'Cost groups',
    target: 'CostGroupEntity',
    folder: INV,
    area: inventory,
    companySpecific: true,
    keys: [text('CostGroupId', 10, INF)],
    fields: [description()],
  },
  {
    label: 'Counting groups',
    target: 'InventInventoryCountingGroupEntity',
    folder: INV,
    area: inventory,
    companySpecific: true,
    keys: [text('CountingGroupId', 10, INF)],
    fields: [text('Name', 60, INF)],
  },
  {
    label: 'Counting reason codes',
    target: 'InventInventoryCountingReasonCodeEntity',
    folder: INV,
    area: inventory,
    companySpecific: true,
    keys: [text('ReasonCode', 10, INF)],
    fields: [description()],
  },
  journalNames('Inventory movement journal names', 'InventInventoryMovementJournalNameEntity'),
  journalNames('Inventory adjustment journal names', 'InventInventoryAdjustmentJournalNameEntity'),
  journalNames('Inventory counting journal names', 'InventInventoryCountingJournalNameEntity'),
  journalNames('Inventory transfer journal names', 'InventInventoryTransferJournalNameEntity'),
  journalHeader(
    'Inventory movement journal headers',
    'InventInventoryMovementJournalHeaderEntity',
    INV,
    inventory,
    'InventInventoryMovementJournalNameEntity',
  ),
  journalHeader(
    'Inventory adjustment journal headers',
    'InventInventoryAdjustmentJournalHeaderEntity',
    INV,
    inventory,
    'InventInventoryAdjustmentJournalNameEntity',
  ),
  journalHeader(
    'Inventory counting journal headers',
    'InventInventoryCountingJournalHeaderEntity',
    INV,
    inventory,
    'InventInventoryCountingJournalNameEntity',
  ),
  journalLine(
    'Inventory counting journal lines',
    'InventInventoryCountingJournalLineEntity',
    INV,
    inventory,
    'InventInventoryCountingJournalHeaderEntity',
    [
      real('CountedQuantity', INF),
      text('ItemNumber', 20, INF),
      date('TransactionDate', INF),
      text('WarehouseId', 10, INF),
    ],
  ),
];

export const SETUP_LOOKUPS: readonly EntitySpec[] = LOOKUPS.map(entity);

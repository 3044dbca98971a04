/**
 * Enums the built-in entities use. Names and values are F&O's symbols; labels are the en-US
 * labels DMF writes with "Use enum label". Where a value or label is inferred the enum's source
 * says so; live metadata (/Metadata/PublicEnumerations) replaces them.
 */
import { defineEnum } from '../define';
import { inferred } from './sources';
import type { CatalogEnum, FactSource } from '../types';

const REAL_LABELS: FactSource = {
  kind: 'real-export',
  ref: 'F&O-exported Excel and CSV data files (dmf-reference.md §1.5, §1.7): Yes/No, Always, Organization, One',
  covers: 'names and labels seen in exports',
};
const ODATA_CLIENT: FactSource = {
  kind: 'client',
  ref: 'mafzaal/d365fo-client@35cd9f76358ce9657f1730e6eb7060392a571d5d src/d365fo_client/mcp/prompts/sequence_analysis.py (values read from a live system)',
  covers: 'names',
};

export const BUILT_IN_ENUMS: readonly CatalogEnum[] = [
  defineEnum(
    'NoYes',
    [
      ['No', 0],
      ['Yes', 1],
    ],
    [REAL_LABELS],
  ),
  defineEnum(
    'CustVendorBlocked',
    [
      ['No', 0],
      ['Invoice', 1],
      ['All', 2],
      ['Payment', 3],
      ['Requisition', 4],
      ['Never', 5],
    ],
    [inferred('values and labels')],
  ),
  defineEnum(
    'ExchangeRateDisplayFactor',
    [
      ['One', 0, '1'],
      ['Ten', 1, '10'],
      ['Hundred', 2, '100'],
      ['Thousand', 3, '1000'],
      ['TenThousand', 4, '10000'],
    ],
    [REAL_LABELS, inferred('values and labels')],
  ),
  defineEnum(
    'DimensionLedgerAccountType',
    [
      ['ProfitAndLoss', 0, 'Profit and loss'],
      ['Revenue', 1],
      ['Expense', 2],
      ['BalanceSheet', 3, 'Balance sheet'],
      ['Asset', 4],
      ['Liability', 5],
      ['Equity', 6],
      ['Total', 7],
      ['Reporting', 8],
    ],
    [inferred('values and labels')],
  ),
  defineEnum(
    'DebCredProposal',
    [
      ['None', 0, 'None'],
      ['Debit', 1],
      ['Credit', 2],
    ],
    [inferred('values and labels')],
  ),
  defineEnum(
    'NetCurrent',
    [
      ['Net', 0],
      ['CurrentMonth', 1, 'Current month'],
      ['CurrentQuarter', 2, 'Current quarter'],
      ['CurrentYear', 3, 'Current year'],
      ['CurrentWeek', 4, 'Current week'],
      ['COD', 5, 'C.O.D.'],
    ],
    [inferred('values and labels')],
  ),
  defineEnum(
    'LogisticsElectronicAddressMethodType',
    [
      ['None', 0],
      ['Phone', 1],
      ['Email', 2, 'Email address'],
      ['URL', 3],
      ['Telex', 4],
      ['Fax', 5],
    ],
    [inferred('values and labels')],
  ),
  defineEnum(
    'ItemType',
    [
      ['Item', 0],
      ['BOM', 1],
      ['Service', 2],
    ],
    [inferred('values and labels')],
  ),
  defineEnum(
    'EcoResProductType',
    [
      ['Item', 1],
      ['Service', 2],
    ],
    [inferred('values and labels')],
  ),
  defineEnum(
    'EcoResProductSubtype',
    [
      ['ProductMaster', 1, 'Product master'],
      ['Product', 2],
    ],
    [inferred('values and labels')],
  ),
  defineEnum(
    'InventLocationType',
    [
      ['Standard', 0, 'Default'],
      ['Quarantine', 1],
      ['Transit', 2],
    ],
    [inferred('values and labels')],
  ),
  defineEnum(
    'NumberSeqScopeType',
    [
      ['Shared', 0],
      ['DataArea', 1, 'Company'],
      ['LegalEntity', 2, 'Legal entity'],
      ['OperatingUnit', 3, 'Operating unit'],
      ['DataAreaFiscalCalender', 4, 'Company and Fiscal calendar period'],
    ],
    [ODATA_CLIENT, inferred('values and labels')],
  ),
  defineEnum(
    'HcmPersonGender',
    [
      ['None', 0],
      ['Male', 1],
      ['Female', 2],
      ['NonSpecific', 3, 'Non-specific'],
    ],
    [REAL_LABELS, inferred('values and labels')],
  ),
  defineEnum(
    'DirPartyBaseType',
    [
      ['Person', 1],
      ['Organization', 2],
    ],
    [REAL_LABELS, inferred('values')],
  ),
  defineEnum(
    'CustInvoiceAddress',
    [
      ['InvoiceAccount', 0, 'Invoice account'],
      ['OrderAccount', 1, 'Order account'],
    ],
    [REAL_LABELS, inferred('values and labels')],
  ),
  defineEnum(
    'FiscalPeriodType',
    [
      ['Opening', 0],
      ['Operating', 1],
      ['Closing', 2],
    ],
    [inferred('values and labels')],
  ),
  defineEnum(
    'UnitOfMeasureClass',
    [
      ['Undefined', 0],
      ['Quantity', 1],
      ['Length', 2],
      ['Area', 3],
      ['Volume', 4],
      ['Mass', 5],
      ['Time', 6],
    ],
    [inferred('values and labels')],
  ),
];

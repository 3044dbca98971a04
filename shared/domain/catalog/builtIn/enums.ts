/**
 * Enums the built-in entities use. Names and values are F&O's symbols; labels are the en-US
 * labels DMF writes with "Use enum label". Where a value or label is inferred the enum's source
 * says so; live metadata (/Metadata/PublicEnumerations) replaces them.
 */
import { defineEnum } from '../define';
import { enumReference, inferred } from './sources';
import type { CatalogEnum, FactSource } from '../types';

const REAL_LABELS: FactSource = {
  kind: 'real-export',
  ref: 'F&O-exported Excel and CSV data files (dmf-reference.md §1.5, §1.7; issue #10): Yes/No, Always, Organization, One, DryVolume, LiquidVolume, Energy',
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
      ['Quantity', 0],
      ['Length', 1],
      ['Area', 2],
      ['LiquidVolume', 3, 'Liquid volume'],
      ['DryVolume', 4, 'Dry volume'],
      ['Mass', 5],
      ['Time', 6],
      ['Monetary', 7],
      ['Temperature', 8],
      ['InformationEntropy', 9, 'Information entropy'],
      ['Luminance', 10],
      ['Speed', 11],
      ['Acceleration', 12],
      ['Angle', 13],
      ['SolidAngle', 14, 'Solid angle'],
      ['Force', 15],
      ['Pressure', 16, 'Pressure or mechanical stress'],
      ['Torque', 17],
      ['Energy', 18],
      ['Power', 19],
      ['AngularMomentum', 20, 'Angular momentum'],
      ['Capacitance', 21],
      ['Density', 22],
      ['ElectricCurrent', 23, 'Electric current'],
      ['MagneticField', 24, 'Magnetic field'],
      ['MagneticFlux', 25, 'Magnetic flux'],
      ['ElectricCharge', 26, 'Electric charge'],
      ['ElectricDipole', 27, 'Electric dipole'],
      ['ElectricPotential', 28, 'Electric potential difference'],
      ['ElectricalResistance', 29, 'Electrical resistance'],
      ['Inductance', 30],
      ['DynamicViscosity', 31, 'Dynamic viscosity'],
      ['KinematicViscosity', 32, 'Kinematic viscosity'],
      ['Radioactivity', 33],
      ['Undefined', 34],
    ],
    [
      enumReference('https://learn.microsoft.com/en-us/previous-versions/dynamics/ax-2012/reference/gg852020(v=ax.60)'),
      REAL_LABELS,
    ],
  ),
  defineEnum(
    'LogisticsLocationRoleType',
    [
      ['None', 0, 'User defined'],
      ['Invoice', 1],
      ['Delivery', 2],
      ['SWIFT', 4],
      ['Payment', 5],
      ['Service', 6],
      ['Home', 7],
      ['Other', 8],
      ['Business', 9],
      ['RemitTo', 10, 'Remit to'],
      ['ShipCarrierThirdPartyShipping', 11, 'Third party shipping'],
      ['Statement', 12],
      ['FixedAsset', 15, 'Fixed asset'],
      ['OneTime', 16, 'One-time'],
      ['Recruit', 17],
      ['SMS', 18],
      ['Lading_W', 101, 'Lading'],
      ['Unlading_W', 102, 'Unlading'],
      ['Consignment_IN', 103, 'Consignment'],
      ['RealAddress_RU', 150, 'Real location'],
    ],
    [enumReference('https://learn.microsoft.com/en-us/previous-versions/dynamics/ax-2012/reference/gg882667(v=ax.60)')],
  ),
];

/** Accounts receivable and payable setup and journals: statistics groups, posting profiles, vendor bank accounts, journal headers. */
import { INF, date, noYes, ref, text } from '../define';
import type { EntitySpec } from '../define';
import { cdmBacked } from './cdm';

const ar = 'Accounts receivable' as const;
const ap = 'Accounts payable' as const;

/** The header of a journal (LedgerJournalTable) as the journal header entities carry it. */
function journalHeader(
  label: string,
  targetEntity: string,
  cdm: string,
  area: typeof ar | typeof ap,
  extra: ReturnType<typeof text>[],
): EntitySpec {
  const name = targetEntity.replace(/Entity$/, '');
  return cdmBacked({
    label,
    publicEntityName: name,
    publicCollectionName: `${name}s`,
    targetEntity,
    area,
    companySpecific: true,
    keys: ['JOURNALBATCHNUMBER'],
    fields: [
      text('JournalBatchNumber', 10, INF),
      text('Description', 60, INF),
      noYes('IsPosted', INF),
      text('JournalName', 10, INF),
      ...extra,
    ],
    relations: [ref('JOURNALNAME', 'LedgerJournalNameEntity', { inferred: true })],
    cdm,
  });
}

export const RECEIVABLES_PAYABLES_SETUP: readonly EntitySpec[] = [
  cdmBacked({
    label: 'Statistics group',
    publicEntityName: 'CustomerStatisticsGroup',
    publicCollectionName: 'CustomerStatisticsGroups',
    targetEntity: 'CustCustomerStatisticsGroupEntity',
    area: ar,
    companySpecific: true,
    keys: ['STATISTICSGROUP'],
    fields: [text('StatisticsGroup', 10, INF), text('Description', 60, INF)],
    cdm: 'Finance/AccountsReceivable/CustCustomerStatisticsGroupEntity.md',
  }),
  cdmBacked({
    label: 'Customer posting profiles',
    publicEntityName: 'CustomerPostingProfile',
    publicCollectionName: 'CustomerPostingProfiles',
    targetEntity: 'CustCustomerPostingProfileHeaderEntity',
    area: ar,
    companySpecific: true,
    keys: ['POSTINGPROFILE'],
    fields: [
      text('PostingProfile', 10, INF),
      noYes('AllowEmptyDimensionValue', INF),
      text('Description', 60, INF),
      noYes('IsTransactionIncludedInAutoSettlement', INF),
      noYes('IsTransactionIncludedInCollectionLetterGeneration', INF),
      noYes('IsTransactionIncludedInInterestCalculation', INF),
      text('PostingProfileToCloseSettlement', 10, INF),
    ],
    cdm: 'Finance/AccountsReceivable/CustCustomerPostingProfileHeaderEntity.md',
  }),
  cdmBacked({
    label: 'Vendor posting profile',
    publicEntityName: 'VendorPostingProfile',
    publicCollectionName: 'VendorPostingProfiles',
    targetEntity: 'VendorPostingProfileHeaderEntity',
    area: ap,
    companySpecific: true,
    keys: ['POSTINGPROFILE'],
    fields: [
      text('PostingProfile', 10, INF),
      noYes('AllowEmptyDimensionValue', INF),
      text('Description', 60, INF),
      noYes('IsTransactionCancelEnabled', INF),
      noYes('IsTransactionIncludedInAutoSettlement', INF),
      text('PostingProfileToCloseSettlement', 10, INF),
    ],
    cdm: 'Finance/AccountsPayable/VendorPostingProfileHeaderEntity.md',
  }),
  cdmBacked({
    label: 'Vendor bank accounts',
    publicEntityName: 'VendorBankAccount',
    publicCollectionName: 'VendorBankAccounts',
    targetEntity: 'VendVendorBankAccountEntity',
    area: ap,
    companySpecific: true,
    keys: ['VENDORACCOUNTNUMBER', 'VENDORBANKACCOUNTID'],
    fields: [
      text('VendorAccountNumber', 20, INF),
      text('VendorBankAccountId', 10, INF),
      date('ActiveDate', INF),
      text('AddressCity', 60, INF),
      text('AddressCountry', 10, INF),
      text('AddressStreet', 250, INF),
      text('AddressZipCode', 10, INF),
      text('BankAccountNumber', 34, INF),
      text('BankAccountType', 60, INF),
      text('BankGroupId', 10, INF),
      text('BankName', 60, INF),
      text('ContactEmailAddress', 255, INF),
      text('ContactName', 100, INF),
      text('ContactPhoneNumber', 255, INF),
      text('CurrentCurrencyCode', 3, INF),
      date('ExpirationDate', INF),
      text('IBAN', 34, INF),
      noYes('IsDefaultBankAccount', INF),
      noYes('IsDefaultBankAccountForCurrentCurrency', INF),
      text('RoutingNumber', 40, INF),
      text('RoutingNumberType', 60, INF),
      text('SWIFTCode', 20, INF),
    ],
    relations: [
      ref('VENDORACCOUNTNUMBER', 'VendVendorV2Entity', { inferred: true }),
      ref('CURRENTCURRENCYCODE', 'CurrencyEntity', { inferred: true }),
    ],
    cdm: 'Finance/AccountsPayable/VendVendorBankAccountEntity.md',
  }),
  journalHeader(
    'Vendor payment journal header',
    'VendorPaymentJournalHeaderEntity',
    'Finance/AccountsPayable/VendorPaymentJournalHeaderEntity.md',
    ap,
    [
      text('CategoryPurpose', 60, INF),
      text('ChargeBearer', 60, INF),
      text('LocalInstrument', 60, INF),
      text('ServiceLevel', 60, INF),
    ],
  ),
  journalHeader(
    'Vendor invoice journal header',
    'VendInvoiceJournalHeaderEntity',
    'Finance/AccountsPayable/VendInvoiceJournalHeaderEntity.md',
    ap,
    [noYes('SalesTaxIncluded', INF)],
  ),
];

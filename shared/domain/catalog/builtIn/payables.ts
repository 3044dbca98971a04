/** Accounts payable: vendor groups, vendor payment methods, vendors. */
import { INF, defineEntity, enumOf, ref, text } from '../define';
import type { EntitySpec } from '../define';
import { dualWriteMap, inferred } from './sources';

const area = 'Accounts payable' as const;

export const PAYABLES: readonly EntitySpec[] = [
  defineEntity({
    label: 'Vendor groups',
    publicEntityName: 'VendorGroup',
    publicCollectionName: 'VendorGroups',
    targetEntity: 'VendVendorGroupEntity',
    area,
    companySpecific: true,
    keys: ['VENDORGROUPID'],
    fields: [
      text('VendorGroupId', 10),
      text('ClearingPeriodPaymentTermName', 10),
      text('DefaultPaymentTermName', 10),
      text('Description', 60),
    ],
    relations: [
      ref('DEFAULTPAYMENTTERMNAME', 'PaymentTermEntity'),
      ref('CLEARINGPERIODPAYMENTTERMNAME', 'PaymentTermEntity'),
    ],
    fieldCoverage: 'partial',
    sources: [
      {
        kind: 'learn',
        ref: 'MicrosoftDocs/Dynamics-365-Operations.sv-se articles/fin-ops-core/dev-itpro/data-entities/dual-write/includes/VendVendorGroup-msdyn-vendorgroups.md',
        covers: 'staging field names',
      },
      inferred(),
    ],
  }),
  defineEntity({
    label: 'Vendor payment methods',
    publicEntityName: 'VendorPaymentMethod',
    publicCollectionName: 'VendorPaymentMethods',
    targetEntity: 'VendorPaymentMethodEntity',
    area,
    companySpecific: true,
    keys: ['NAME'],
    fields: [
      text('Name', 10, INF),
      text('Description', 60, INF),
      text('AccountType', 30, INF),
      text('PaymentAccountDisplayValue', 500, INF),
    ],
    fieldCoverage: 'partial',
    sources: [inferred('label, target entity, field names, types, lengths, keys')],
  }),
  defineEntity({
    label: 'Vendors V2',
    publicEntityName: 'VendorV2',
    publicCollectionName: 'VendorsV2',
    targetEntity: 'VendVendorV2Entity',
    area,
    companySpecific: true,
    keys: ['VENDORACCOUNTNUMBER'],
    fields: [
      text('VendorAccountNumber', 20),
      text('AddressCity', 60, INF),
      text('AddressCountryRegionId', 10, INF),
      text('AddressStreet', 250, INF),
      text('AddressZipCode', 10, INF),
      text('CurrencyCode', 3, { mandatory: true, inferred: true }),
      text('DefaultOffsetLedgerAccountDisplayValue', 500),
      text('DefaultPaymentTermsName', 10, INF),
      text('DefaultVendorPaymentMethodName', 10, INF),
      text('InvoiceVendorAccountNumber', 20),
      text('LanguageId', 7, INF),
      text('NameControl', 4),
      enumOf('OnHoldStatus', 'CustVendorBlocked', INF),
      text('PrimaryEmailAddress', 255, INF),
      text('PrimaryPhoneNumber', 255, INF),
      text('SalesTaxGroupCode', 10, INF),
      text('VendorGroupId', 10, { mandatory: true, inferred: true }),
      text('VendorKnownAsName', 100),
      text('VendorOrganizationName', 100),
      enumOf('VendorPartyType', 'DirPartyBaseType'),
      text('VendorSearchName', 40),
    ],
    relations: [
      ref('VENDORGROUPID', 'VendVendorGroupEntity'),
      ref('CURRENCYCODE', 'CurrencyEntity'),
      ref('DEFAULTPAYMENTTERMSNAME', 'PaymentTermEntity', { inferred: true }),
      ref('DEFAULTVENDORPAYMENTMETHODNAME', 'VendorPaymentMethodEntity', { inferred: true }),
      ref('SALESTAXGROUPCODE', 'TaxGroupHeadingEntity', { inferred: true }),
      ref('INVOICEVENDORACCOUNTNUMBER', 'VendVendorV2Entity'),
      ref('ADDRESSCOUNTRYREGIONID', 'LogisticsAddressCountryRegionEntity', { inferred: true }),
    ],
    fieldCoverage: 'partial',
    sources: [
      dualWriteMap('EcoResReleasedProductV2-msdyn-sharedproductdetails.md', '1240637220d9b58598f5d878ef3c1c88f8c2d049'),
      {
        kind: 'client',
        ref: 'a public staging-table definition mirroring a Vendors V2 export (VENDORACCOUNTNUMBER, DEFAULTOFFSETLEDGERACCOUNTDISPLAYVALUE, INVOICEVENDORACCOUNTNUMBER, NAMECONTROL, VENDORKNOWNASNAME, VENDORORGANIZATIONNAME, VENDORPARTYTYPE, VENDORSEARCHNAME)',
        covers: 'staging field names',
      },
      inferred(),
    ],
  }),
];

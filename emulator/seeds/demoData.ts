/**
 * Demo master and configuration data for the emulator's legal entities, generated (not copied):
 * a seeded pseudo-random generator makes the same plausible values on every start, so tests and
 * screenshots are stable. Rows go through the normal import pipeline, so they obey the catalog.
 */
export const COMPANIES = ['USMF', 'USRT', 'DEMF'] as const;
type Company = (typeof COMPANIES)[number];

export interface SeedTable {
  /** Entity label. */
  readonly entity: string;
  /** null for shared (not company-specific) entities. */
  readonly company: Company | null;
  readonly columns: readonly string[];
  readonly rows: readonly (readonly string[])[];
}

/** mulberry32: small, fast, deterministic. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = <T>(rnd: () => number, items: readonly T[]): T => items[Math.floor(rnd() * items.length)] as T;
const pad = (n: number, width: number): string => String(n).padStart(width, '0');

interface CompanyInfo {
  readonly name: string;
  readonly country: string;
  readonly currency: string;
  readonly city: string;
  readonly street: string;
  readonly zip: string;
  readonly language: string;
  readonly prefix: string;
  readonly german: boolean;
}

const COMPANY_INFO: Record<Company, CompanyInfo> = {
  USMF: {
    name: 'Contoso Entertainment System USA',
    country: 'USA',
    currency: 'USD',
    city: 'Seattle',
    street: '123 Coffee Street',
    zip: '98052',
    language: 'en-us',
    prefix: 'US',
    german: false,
  },
  USRT: {
    name: 'Contoso Retail USA',
    country: 'USA',
    currency: 'USD',
    city: 'New York',
    street: '500 Fifth Avenue',
    zip: '10110',
    language: 'en-us',
    prefix: 'RT',
    german: false,
  },
  DEMF: {
    name: 'Contoso Entertainment System Germany',
    country: 'DEU',
    currency: 'EUR',
    city: 'München',
    street: 'Leopoldstraße 12',
    zip: '80802',
    language: 'de',
    prefix: 'DE',
    german: true,
  },
};

const CITIES: Record<string, readonly (readonly [string, string, string])[]> = {
  USA: [
    ['Seattle', 'WA', '98101'],
    ['Redmond', 'WA', '98052'],
    ['Portland', 'OR', '97201'],
    ['Chicago', 'IL', '60601'],
    ['Dallas', 'TX', '75201'],
    ['Atlanta', 'GA', '30303'],
    ['Boston', 'MA', '02108'],
    ['Denver', 'CO', '80202'],
  ],
  DEU: [
    ['Berlin', 'BE', '10115'],
    ['Hamburg', 'HH', '20095'],
    ['München', 'BY', '80331'],
    ['Köln', 'NW', '50667'],
    ['Frankfurt am Main', 'HE', '60311'],
    ['Stuttgart', 'BW', '70173'],
  ],
};
const FIRST = [
  'Adventure',
  'Alpine',
  'Blue Yonder',
  'City',
  'Coho',
  'Fabrikam',
  'Fourth',
  'Litware',
  'Lucerne',
  'Northwind',
  'Proseware',
  'Southridge',
  'Tailspin',
  'Trey',
  'Wide World',
  'Wingtip',
  'Woodgrove',
  'Humongous',
  'Margie',
  'Graphic',
];
const SECOND = [
  'Works',
  'Traders',
  'Supplies',
  'Electronics',
  'Outfitters',
  'Systems',
  'Partners',
  'Retail',
  'Wholesale',
  'Industries',
  'Importers',
  'Design',
];
const STREETS = [
  'Main Street',
  'Market Avenue',
  'Oak Drive',
  'Lake Road',
  'Pine Street',
  'Hauptstraße',
  'Bahnhofstraße',
  'Industrieweg',
];

function companyName(rnd: () => number, german: boolean): string {
  return `${pick(rnd, FIRST)} ${pick(rnd, SECOND)} ${pick(rnd, german ? ['GmbH', 'AG', 'KG'] : ['Inc.', 'LLC', 'Corp.', 'Ltd.'])}`;
}

interface Product {
  readonly number: string;
  readonly name: string;
  readonly service: boolean;
  readonly price: number;
}

function products(): Product[] {
  const rnd = random(4242);
  const kinds = [
    'Speaker',
    'Subwoofer',
    'Receiver',
    'Projector',
    'Television',
    'Headphones',
    'Amplifier',
    'Cable',
    'Remote control',
    'Mount',
  ];
  const grades = ['Standard', 'Premium', 'Compact', 'Pro', 'Home'];
  const list: Product[] = Array.from({ length: 40 }, (_, i) => ({
    number: `D${pad(100 + i, 4)}`,
    name: `${pick(rnd, grades)} ${(kinds[i % kinds.length] ?? '').toLowerCase()}`,
    service: false,
    price: Math.round((20 + rnd() * 1980) * 100) / 100,
  }));
  list.push(
    { number: 'S0001', name: 'Installation service', service: true, price: 150 },
    { number: 'S0002', name: 'Extended warranty', service: true, price: 99 },
  );
  return list;
}

const itemGroup = (p: Product): string =>
  p.service
    ? 'Services'
    : /cable|mount|remote/.test(p.name)
      ? 'Accessory'
      : /projector|television/.test(p.name)
        ? 'Video'
        : 'Audio';

export function demoData(): SeedTable[] {
  return [...sharedData(), ...COMPANIES.flatMap((company, index) => companyData(company, index))];
}

function sharedData(): SeedTable[] {
  return [
    {
      entity: 'Currencies',
      company: null,
      columns: ['CURRENCYCODE', 'CURRENCYCODEISO', 'NAME', 'SYMBOL', 'GENERALROUNDINGRULE'],
      rows: [
        ['USD', 'USD', 'US Dollar', '$', '0.01'],
        ['EUR', 'EUR', 'Euro', '€', '0.01'],
        ['GBP', 'GBP', 'Pound Sterling', '£', '0.01'],
        ['CAD', 'CAD', 'Canadian Dollar', '$', '0.01'],
        ['JPY', 'JPY', 'Yen', '¥', '1'],
        ['CHF', 'CHF', 'Swiss Franc', 'CHF', '0.05'],
        ['DKK', 'DKK', 'Danish Krone', 'kr', '0.01'],
        ['MXN', 'MXN', 'Mexican Peso', '$', '0.01'],
      ],
    },
    {
      entity: 'Address formats',
      company: null,
      columns: ['ADDRESSFORMAT', 'DESCRIPTION'],
      rows: [
        ['0001', 'Street, city, state, ZIP'],
        ['0002', 'Street, ZIP city'],
      ],
    },
    {
      entity: 'Country/regions',
      company: null,
      columns: ['COUNTRYREGION', 'ADDRESSFORMAT', 'ISOCODE', 'SHORTNAME', 'LONGNAME'],
      rows: [
        ['USA', '0001', 'US', 'United States', 'United States of America'],
        ['DEU', '0002', 'DE', 'Germany', 'Federal Republic of Germany'],
        ['CAN', '0001', 'CA', 'Canada', 'Canada'],
        ['GBR', '0002', 'GB', 'United Kingdom', 'United Kingdom of Great Britain and Northern Ireland'],
      ],
    },
    {
      entity: 'Legal entities',
      company: null,
      columns: [
        'LEGALENTITYID',
        'NAME',
        'ADDRESSCOUNTRYREGIONID',
        'ADDRESSCITY',
        'ADDRESSSTREET',
        'ADDRESSZIPCODE',
        'LANGUAGEID',
      ],
      rows: COMPANIES.map((c) => {
        const i = COMPANY_INFO[c];
        return [c, i.name, i.country, i.city, i.street, i.zip, i.language];
      }),
    },
    {
      entity: 'Units',
      company: null,
      columns: ['UNITSYMBOL', 'UNITDESCRIPTION', 'UNITCLASS', 'DECIMALPRECISION', 'ISBASEUNIT'],
      rows: [
        ['ea', 'Each', 'Quantity', '0', 'Yes'],
        ['pcs', 'Pieces', 'Quantity', '0', 'No'],
        ['box', 'Box', 'Quantity', '0', 'No'],
        ['kg', 'Kilogram', 'Mass', '3', 'Yes'],
        ['m', 'Meter', 'Length', '2', 'Yes'],
        ['h', 'Hour', 'Time', '2', 'Yes'],
      ],
    },
    {
      entity: 'Storage dimension groups',
      company: null,
      columns: ['GROUPNAME', 'GROUPDESCRIPTION'],
      rows: [
        ['SiteWH', 'Site and warehouse'],
        ['SWL', 'Site, warehouse and location'],
      ],
    },
    {
      entity: 'Tracking dimension groups',
      company: null,
      columns: ['GROUPNAME', 'GROUPDESCRIPTION'],
      rows: [
        ['None', 'No tracking'],
        ['SN', 'Serial numbers'],
      ],
    },
    {
      entity: 'Products V2',
      company: null,
      columns: ['PRODUCTNUMBER', 'PRODUCTNAME', 'PRODUCTSEARCHNAME', 'PRODUCTTYPE', 'PRODUCTSUBTYPE'],
      rows: products().map((p) => [p.number, p.name, p.number, p.service ? 'Service' : 'Item', 'Product']),
    },
  ];
}

function companyData(company: Company, index: number): SeedTable[] {
  const info = COMPANY_INFO[company];
  const { german } = info;
  const rnd = random(1000 + index * 7919);
  const cities = CITIES[info.country] ?? [];
  const de = (en: string, deText: string): string => (german ? deText : en);
  const customerGroups = [
    ['10', de('Wholesale customers', 'Großhandel'), 'Net30'],
    ['20', de('Retail customers', 'Einzelhandel'), german ? 'Net14' : 'Net10'],
    ['30', de('Intercompany customers', 'Verbundene Unternehmen'), 'Net30'],
    ['80', de('Other customers', 'Sonstige'), 'COD'],
  ];
  const customers = Array.from({ length: company === 'USRT' ? 25 : 60 }, (_, i) => {
    const [city, state, zip] = pick(rnd, cities);
    const group = pick(rnd, customerGroups);
    return [
      `${info.prefix}-${pad(i + 1, 3)}`,
      companyName(rnd, german),
      group[0] ?? '10',
      info.currency,
      info.country,
      city,
      state,
      zip,
      `${1 + Math.floor(rnd() * 9899)} ${pick(rnd, STREETS)}`,
      String(Math.round(rnd() * 50) * 1000),
      group[2] ?? 'Net30',
      pick(rnd, ['TRUCK', 'AIR', 'PARCEL']),
      german ? 'EU' : pick(rnd, ['CA', 'WA', 'TX', 'NY']),
      'Organization',
      info.language,
    ];
  });
  const vendors = Array.from({ length: company === 'USRT' ? 15 : 30 }, (_, i) => {
    const [city, , zip] = pick(rnd, cities);
    return [
      `${info.prefix}-V${pad(i + 1, 3)}`,
      companyName(rnd, german),
      pick(rnd, ['10', '20', '30']),
      info.currency,
      info.country,
      city,
      zip,
      `${1 + Math.floor(rnd() * 899)} ${pick(rnd, STREETS)}`,
      pick(rnd, ['Net30', 'Net45']),
      'CHECK',
      'Organization',
    ];
  });
  const c = company;
  return [
    {
      entity: 'Terms of payment',
      company: c,
      columns: ['NAME', 'DESCRIPTION', 'PAYMENTMETHODTYPE', 'NUMBEROFDAYS', 'ISCASHPAYMENT'],
      rows: [
        ['Net10', de('Net 10 days', '10 Tage netto'), 'Net', '10', 'No'],
        ['Net14', de('Net 14 days', '14 Tage netto'), 'Net', '14', 'No'],
        ['Net30', de('Net 30 days', '30 Tage netto'), 'Net', '30', 'No'],
        ['Net45', de('Net 45 days', '45 Tage netto'), 'Net', '45', 'No'],
        ['CM15', de('Current month + 15 days', 'Laufender Monat + 15'), 'CurrentMonth', '15', 'No'],
        ['COD', de('Cash on delivery', 'Nachnahme'), 'COD', '0', 'Yes'],
      ],
    },
    {
      entity: 'Modes of delivery',
      company: c,
      columns: ['MODECODE', 'DESCRIPTION'],
      rows: [
        ['TRUCK', de('Truck', 'LKW')],
        ['AIR', de('Air freight', 'Luftfracht')],
        ['PARCEL', de('Parcel service', 'Paketdienst')],
      ],
    },
    {
      entity: 'Terms of delivery',
      company: c,
      columns: ['TERMSCODE', 'DESCRIPTION'],
      rows: [
        ['FOB', 'Free on board'],
        ['CIF', 'Cost, insurance and freight'],
        ['EXW', 'Ex works'],
      ],
    },
    {
      entity: 'Customer payment methods',
      company: c,
      columns: ['NAME', 'DESCRIPTION', 'ACCOUNTTYPE'],
      rows: [
        ['CHECK', de('Check', 'Scheck'), 'Bank'],
        ['ELECTRONIC', de('Electronic payment', 'Überweisung'), 'Bank'],
        ['CASH', de('Cash', 'Bar'), 'Ledger'],
      ],
    },
    {
      entity: 'Vendor payment methods',
      company: c,
      columns: ['NAME', 'DESCRIPTION', 'ACCOUNTTYPE'],
      rows: [
        ['CHECK', de('Check', 'Scheck'), 'Bank'],
        ['EFT', de('Electronic funds transfer', 'Überweisung'), 'Bank'],
      ],
    },
    {
      entity: 'Sales tax groups',
      company: c,
      columns: ['TAXGROUPCODE', 'DESCRIPTION'],
      rows: german
        ? [
            ['EU', 'EU-Umsätze'],
            ['DE', 'Inland'],
          ]
        : [
            ['CA', 'California'],
            ['WA', 'Washington'],
            ['TX', 'Texas'],
            ['NY', 'New York'],
          ],
    },
    {
      entity: 'Ledger posting groups',
      company: c,
      columns: ['TAXACCOUNTGROUP', 'DESCRIPTION'],
      rows: [german ? ['VAT', 'Umsatzsteuer'] : ['SALESTAX', 'Sales tax']],
    },
    {
      entity: 'Sales tax authorities',
      company: c,
      columns: ['AUTHORITYID', 'NAME'],
      rows: [german ? ['FA', 'Finanzamt München'] : ['STATE', 'State tax authority']],
    },
    {
      entity: 'Sales tax settlement periods',
      company: c,
      columns: ['SETTLEMENTPERIOD', 'AUTHORITY', 'DESCRIPTION'],
      rows: [german ? ['MONTH', 'FA', 'Monatlich'] : ['QUARTER', 'STATE', 'Quarterly']],
    },
    {
      entity: 'Sales tax codes',
      company: c,
      columns: ['TAXCODE', 'NAME', 'CURRENCY', 'LEDGERPOSTINGGROUP', 'SETTLEMENTPERIOD'],
      rows: german
        ? [
            ['VAT19', 'Umsatzsteuer 19%', 'EUR', 'VAT', 'MONTH'],
            ['VAT7', 'Umsatzsteuer 7%', 'EUR', 'VAT', 'MONTH'],
          ]
        : [
            ['CA_ST', 'California sales tax', 'USD', 'SALESTAX', 'QUARTER'],
            ['WA_ST', 'Washington sales tax', 'USD', 'SALESTAX', 'QUARTER'],
            ['TX_ST', 'Texas sales tax', 'USD', 'SALESTAX', 'QUARTER'],
          ],
    },
    {
      entity: 'Customer groups',
      company: c,
      columns: ['CUSTOMERGROUPID', 'DESCRIPTION', 'PAYMENTTERMID'],
      rows: customerGroups,
    },
    {
      entity: 'Customers V3',
      company: c,
      columns: [
        'CUSTOMERACCOUNT',
        'ORGANIZATIONNAME',
        'CUSTOMERGROUPID',
        'SALESCURRENCYCODE',
        'ADDRESSCOUNTRYREGIONID',
        'DELIVERYADDRESSCITY',
        'DELIVERYADDRESSSTATE',
        'DELIVERYADDRESSZIPCODE',
        'DELIVERYADDRESSSTREET',
        'CREDITLIMIT',
        'PAYMENTTERMS',
        'DELIVERYMODE',
        'SALESTAXGROUP',
        'PARTYTYPE',
        'LANGUAGEID',
      ],
      rows: customers,
    },
    {
      entity: 'Vendor groups',
      company: c,
      columns: ['VENDORGROUPID', 'DESCRIPTION', 'DEFAULTPAYMENTTERMNAME'],
      rows: [
        ['10', de('Domestic vendors', 'Lieferanten Inland'), 'Net30'],
        ['20', de('Foreign vendors', 'Lieferanten Ausland'), 'Net45'],
        ['30', de('Service providers', 'Dienstleister'), 'Net30'],
      ],
    },
    {
      entity: 'Vendors V2',
      company: c,
      columns: [
        'VENDORACCOUNTNUMBER',
        'VENDORORGANIZATIONNAME',
        'VENDORGROUPID',
        'CURRENCYCODE',
        'ADDRESSCOUNTRYREGIONID',
        'ADDRESSCITY',
        'ADDRESSZIPCODE',
        'ADDRESSSTREET',
        'DEFAULTPAYMENTTERMSNAME',
        'DEFAULTVENDORPAYMENTMETHODNAME',
        'VENDORPARTYTYPE',
      ],
      rows: vendors,
    },
    {
      entity: 'Item groups',
      company: c,
      columns: ['ITEMGROUPID', 'NAME'],
      rows: [
        ['Audio', de('Audio equipment', 'Audiogeräte')],
        ['Video', de('Video equipment', 'Videogeräte')],
        ['Services', de('Services', 'Dienstleistungen')],
        ['Accessory', de('Accessories', 'Zubehör')],
      ],
    },
    {
      entity: 'Item model groups',
      company: c,
      columns: ['ITEMMODELGROUPID', 'NAME', 'INVENTORYMODEL', 'ISSTOCKEDPRODUCT'],
      rows: [
        ['FIFO', 'FIFO', 'FIFO', 'Yes'],
        ['STD', de('Standard cost', 'Standardkosten'), 'StdCost', 'Yes'],
        ['SERVICE', de('Services', 'Dienstleistungen'), 'FIFO', 'No'],
      ],
    },
    {
      entity: 'Released products V2',
      company: c,
      columns: [
        'ITEMNUMBER',
        'PRODUCTNUMBER',
        'SEARCHNAME',
        'PRODUCTTYPE',
        'PRODUCTGROUPID',
        'ITEMMODELGROUPID',
        'STORAGEDIMENSIONGROUPNAME',
        'TRACKINGDIMENSIONGROUPNAME',
        'INVENTORYUNITSYMBOL',
        'SALESUNITSYMBOL',
        'PURCHASEUNITSYMBOL',
        'SALESPRICE',
        'PURCHASEPRICE',
      ],
      rows: products()
        .filter((_, i) => company !== 'USRT' || i % 2 === 0)
        .map((p) => {
          const unit = p.service ? 'h' : 'ea';
          return [
            p.number,
            p.number,
            p.number,
            p.service ? 'Service' : 'Item',
            itemGroup(p),
            p.service ? 'SERVICE' : 'FIFO',
            'SiteWH',
            'None',
            unit,
            unit,
            unit,
            String(p.price),
            String(Math.round(p.price * 55) / 100),
          ];
        }),
    },
  ];
}

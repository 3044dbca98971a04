/**
 * The built-in entity catalog: F&O entities used in initial loads and configuration copies,
 * available offline. Pure TypeScript data so the renderer, services, CLI and emulator share it.
 */
import { assembleCatalog } from './define';
import { ADDRESS_SETUP } from './builtIn/addressSetup';
import { BUILT_IN_ENUMS } from './builtIn/enums';
import { GENERAL_LEDGER } from './builtIn/generalLedger';
import { HUMAN_RESOURCES } from './builtIn/humanResources';
import { LEDGER_SETUP } from './builtIn/ledgerSetup';
import { ORDERS } from './builtIn/orders';
import { PARTIES } from './builtIn/parties';
import { PAYABLES } from './builtIn/payables';
import { PEOPLE } from './builtIn/people';
import { PRODUCTS } from './builtIn/products';
import { PRODUCT_VARIANTS } from './builtIn/productVariants';
import { RECEIVABLES } from './builtIn/receivables';
import { RECEIVABLES_PAYABLES_SETUP } from './builtIn/receivablesPayablesSetup';
import { SECURITY } from './builtIn/security';
import { SETUP_LOOKUPS } from './builtIn/setupLookups';
import { SYSTEM_SETUP } from './builtIn/systemSetup';
import { TAX } from './builtIn/tax';
import { BUILT_IN_PROVENANCE } from './types';
import type { EntityCatalog } from './types';

/** Every fact in it is unverified: a rule known only from here is at most a warning. */
export const BUILT_IN_CATALOG: EntityCatalog = {
  ...assembleCatalog(
    'built-in',
    [
      ...SYSTEM_SETUP,
      ...ADDRESS_SETUP,
      ...SECURITY,
      ...PEOPLE,
      ...PARTIES,
      ...GENERAL_LEDGER,
      ...LEDGER_SETUP,
      ...TAX,
      ...RECEIVABLES,
      ...PAYABLES,
      ...RECEIVABLES_PAYABLES_SETUP,
      ...PRODUCTS,
      ...PRODUCT_VARIANTS,
      ...ORDERS,
      ...HUMAN_RESOURCES,
      ...SETUP_LOOKUPS,
    ],
    BUILT_IN_ENUMS,
  ),
  provenance: BUILT_IN_PROVENANCE,
};

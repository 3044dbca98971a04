/**
 * The built-in entity catalog: F&O entities used in initial loads and configuration copies,
 * available offline. Pure TypeScript data so the renderer, services, CLI and emulator share it.
 */
import { assembleCatalog } from './define';
import { BUILT_IN_ENUMS } from './builtIn/enums';
import { GENERAL_LEDGER } from './builtIn/generalLedger';
import { PAYABLES } from './builtIn/payables';
import { PEOPLE } from './builtIn/people';
import { PRODUCTS } from './builtIn/products';
import { RECEIVABLES } from './builtIn/receivables';
import { SYSTEM_SETUP } from './builtIn/systemSetup';
import { TAX } from './builtIn/tax';
import type { EntityCatalog } from './types';

export const BUILT_IN_CATALOG: EntityCatalog = assembleCatalog(
  'built-in',
  [...SYSTEM_SETUP, ...PEOPLE, ...GENERAL_LEDGER, ...TAX, ...RECEIVABLES, ...PAYABLES, ...PRODUCTS],
  BUILT_IN_ENUMS,
);

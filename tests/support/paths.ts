import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * The project's reference materials live beside the checkout in `../shared` (CI has them there).
 * DMFW_SHARED_DIR overrides it for checkouts elsewhere.
 */
export const SHARED_MATERIALS =
  process.env.DMFW_SHARED_DIR ?? fileURLToPath(new URL('../../../shared/', import.meta.url));

/** The real F&O-exported package (Fixed asset major type, EXCEL, 11 rows). Referenced, never copied. */
export const REAL_PACKAGE = `${SHARED_MATERIALS.replace(/\/$/, '')}/fixtures/real/usmf_asset-major-types-01.zip`;

import { z } from 'zod';

// zod compiles object parsers with `new Function` unless told not to. The renderer's CSP forbids
// eval (and reports each attempt as a violation), so every contract schema is built jitless.
// Import `z` from this module, never from 'zod' directly, so the setting precedes every schema.
z.config({ jitless: true });

export { z };

// Lint: TypeScript rules plus the runtime boundaries of ../shared/docs/DESIGN.md.
import js from '@eslint/js';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const noEnterpriseGrid = { group: ['ag-grid-enterprise', 'ag-grid-enterprise/*'], message: 'Community edition only.' };

/** `electron` may appear only as `import type` outside electron/main and electron/preload. */
const electronTypeOnly = {
  name: 'electron',
  allowTypeImports: true,
  message: "Only electron/main and electron/preload import 'electron' at runtime (the binary is not there in Node).",
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'test-results/**', 'playwright-report/**', 'node_modules/**', 'coverage/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'separate-type-imports' }],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-restricted-imports': [
        'error',
        { paths: [electronTypeOnly], patterns: [noEnterpriseGrid] },
      ],
      'no-console': 'error',
    },
  },
  {
    files: ['shared/**/*.ts'],
    languageOptions: { globals: {} },
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'shared/ is pure TypeScript: no Node modules.' })),
            { name: 'electron', message: 'shared/ is pure TypeScript: no electron.' },
            { name: 'zod', allowTypeImports: true, message: 'Import z from shared/api/zod (jitless, CSP-safe).' },
          ],
          patterns: [
            { group: ['react', 'react-dom', 'react/*', 'react-dom/*'], message: 'shared/ has no UI code.' },
            {
              group: ['**/electron/**', '**/renderer/**', '**/emulator/**'],
              message: 'shared/ depends on nothing else.',
            },
            noEnterpriseGrid,
          ],
        },
      ],
    },
  },
  {
    files: ['shared/api/zod.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': 'off' },
  },
  {
    files: ['electron/main/**/*.ts', 'electron/preload/**/*.ts'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { patterns: [noEnterpriseGrid] }] },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...nodeBuiltins.map((name) => ({ name, message: 'The renderer is a web page: no Node modules.' })),
            { name: 'electron', message: 'The renderer reaches main only through window.bridge / the contract.' },
            { name: 'zod', allowTypeImports: true, message: 'Import z from shared/api/zod (jitless, CSP-safe).' },
          ],
          patterns: [
            {
              group: ['**/electron/**', '**/emulator/**'],
              message: 'The renderer imports only renderer/ and shared/.',
            },
            noEnterpriseGrid,
          ],
        },
      ],
    },
  },
  {
    files: ['emulator/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [electronTypeOnly],
          patterns: [{ group: ['**/renderer/**'], message: 'The emulator has no UI.' }, noEnterpriseGrid],
        },
      ],
    },
  },
  {
    files: ['electron/cli/**/*.ts', 'scripts/**', 'bin/**', 'tests/**'],
    rules: { 'no-console': 'off' },
  },
  {
    files: ['tests/**'],
    rules: { '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);

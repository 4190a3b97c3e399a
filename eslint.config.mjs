// @ts-check
import js from '@eslint/js';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

const services = ['order', 'inventory', 'payment', 'shipping', 'analytics'];
const servicePackages = services.map((name) => `@orderflow/${name}`);
const drivers = ['mongodb', 'node:sqlite'];

/** The architecture's dependency rules (docs/architecture.md), so the picture cannot rot. */
const restrict = (patterns, message) => ({
  'no-restricted-imports': ['error', { patterns: [{ group: patterns, message }] }],
});
const restrictExcept = (allowed, message) => ({
  'no-restricted-imports': [
    'error',
    { patterns: [{ regex: `^(?!${allowed.join('|')})`, message }] },
  ],
});

export default tseslint.config(
  { ignores: ['**/dist/**', '**/node_modules/**', '**/*.js', '**/*.mjs', '.turbo/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [createTypeScriptImportResolver({ alwaysTryTypes: true })],
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
      // Handlers are async by contract even when one has nothing to await.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'import-x/no-cycle': 'error',
      'import-x/no-self-import': 'error',
      'import-x/no-relative-packages': 'error',
      'import-x/no-duplicates': 'error',
    },
  },
  {
    files: ['subgraphs/*/src/domain/**/*.ts'],
    rules: restrictExcept(
      // DDSketch is pure computation: a quantile sketch, no I/O, clock or randomness.
      ['@orderflow/contracts$', '@datadog/sketches-js$', '\\./', '\\.\\./domain/'],
      'domain/ is pure: it imports only @orderflow/contracts, the quantile sketch and other domain files (no I/O, clock or random)',
    ),
  },
  {
    files: ['subgraphs/*/src/application/**/*.ts'],
    rules: restrict(
      ['../adapters/*', '../adapters/**', ...servicePackages, '@orderflow/gateway', ...drivers],
      'application/ depends on the domain and ports, never on adapters, a database driver or another service',
    ),
  },
  {
    files: ['subgraphs/*/src/adapters/**/*.ts', 'subgraphs/*/src/*.ts', 'subgraphs/*/test/**/*.ts'],
    rules: restrict(
      [...servicePackages, '@orderflow/gateway', ...drivers],
      'services meet only through contracts/ (events) and the supergraph (GraphQL entities), and reach their database only through the document-store port of @orderflow/runtime',
    ),
  },
  {
    files: ['packages/*/src/**/*.ts'],
    rules: restrict(
      [...servicePackages, '@orderflow/gateway'],
      'packages/ is shared runtime: it never imports a service or the gateway',
    ),
  },
  {
    // Its own rule key, so that it adds to the restrictions above instead of replacing them.
    files: ['**/src/**/*.ts'],
    ignores: ['**/src/testing/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              regex: '^(@orderflow/runtime|\\.\\.?(/.*)?)/testing(/.*)?$',
              message: 'test doubles and helpers are for tests: production code never loads them',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['contracts/src/**/*.ts'],
    rules: restrict(
      ['@orderflow/*', 'mongodb', '@nats-io/*', 'graphql', '@apollo/*'],
      'contracts/ is schemas and names only: no runtime code',
    ),
  },
  {
    files: ['gateway/src/**/*.ts', 'gateway/test/**/*.ts'],
    rules: restrict(
      servicePackages,
      'the gateway knows subgraphs only through the supergraph and their URLs',
    ),
  },
  {
    files: ['**/test/**/*.ts'],
    rules: {
      // jest's expect(...).rejects and mocks trip these without being unsafe in tests.
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
);

// ESLint 9 flat config. Layer rules keep the plain-Node core free of Electron.
import js from '@eslint/js';
import svelteParser from 'svelte-eslint-parser';
import tseslint from 'typescript-eslint';

const electronBan = {
  paths: [{ name: 'electron', message: 'Only src-main may import electron.' }],
  patterns: [
    {
      group: ['**/src-main/**', '**/src-renderer/**'],
      message: 'The core, CLI and Lambda must not depend on the app.',
    },
  ],
};

// The renderer runs in a sandboxed page: it may use src-shared (schemas, contract, formats, CSV) and
// npm packages, never Node, Electron or another layer's code.
const rendererBan = {
  patterns: [
    { group: ['node:*'], message: 'The renderer runs in a browser page: no Node built-ins.' },
    {
      group: ['**/src-core/**', '**/src-main/**', '**/src-cli/**', '**/lambda/**'],
      message: 'The renderer may import only src-shared from outside itself.',
    },
  ],
  paths: [{ name: 'electron', message: 'The renderer reaches main only through the preload bridge.' }],
};

// src-shared is read by every layer, the renderer included: zod and itself only.
const sharedBan = {
  patterns: [
    { group: ['node:*'], message: 'src-shared must run in a browser page: no Node built-ins.' },
    {
      group: ['**/src-core/**', '**/src-main/**', '**/src-cli/**', '**/src-renderer/**', '**/lambda/**'],
      message: 'src-shared depends on no other layer.',
    },
  ],
  paths: [{ name: 'electron', message: 'src-shared must run anywhere.' }],
};

export default tseslint.config(
  {
    ignores: [
      'node_modules/**',
      'dist/**',
      'out/**',
      'release/**',
      'models/**',
      'tests/fixtures/**',
      'coverage/**',
      // Tool caches, training runs and scratch folders (git-ignored): not project code.
      '.cache/**',
      '**/.scratch/**',
      'runs/**',
      'datasets/**',
      'venv/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src-core/**/*.ts', 'src-cli/**/*.ts', 'lambda/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', electronBan] },
  },
  {
    files: ['src-shared/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', sharedBan] },
  },
  {
    files: ['src-renderer/src/**/*.ts'],
    rules: { 'no-restricted-imports': ['error', rendererBan] },
  },
  {
    // Svelte components: only the import rule (their other checks are svelte-check's).
    files: ['src-renderer/src/**/*.svelte'],
    languageOptions: { parser: svelteParser, parserOptions: { parser: tseslint.parser } },
    rules: { 'no-restricted-imports': ['error', rendererBan], 'no-undef': 'off' },
  },
  {
    files: ['bin/**/*.js', 'scripts/**/*.{js,mjs}', '*.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);

// ESLint 9 flat config. Layer rules keep the plain-Node core free of Electron.
import js from '@eslint/js';
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
    files: ['bin/**/*.js', 'scripts/**/*.{js,mjs}', '*.config.js'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);

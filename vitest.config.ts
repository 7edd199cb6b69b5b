import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    environment: 'node',
    include: ['tests/**/*.test.ts'],
    exclude: ['tests/e2e/**', 'node_modules/**'],
    // The real ONNX model runs in integration tests on a shared 2-core machine.
    testTimeout: 120_000,
    hookTimeout: 120_000,
    // One process per test file: native addons (onnxruntime, sharp) torn down with a worker thread can abort
    // the whole runner.
    pool: 'forks',
    maxWorkers: 2,
  },
});

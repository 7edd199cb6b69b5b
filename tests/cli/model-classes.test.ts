// `detect --model` with a user's model whose classes are unchecked, checked, crossed: each class counted.
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DetectionResultSchema } from '../../src-core/index.js';
import { runCli } from '../helpers/cli.js';
import { THREE_CLASSES, THREE_CLASS_COUNTS, threeClassFixture } from '../helpers/three-class-model.js';

let fx: Awaited<ReturnType<typeof threeClassFixture>>;
beforeAll(async () => {
  fx = await threeClassFixture();
});
afterAll(() => rmSync(fx.dir, { recursive: true, force: true }));

describe('detect --model with three classes', () => {
  it('prints the count of each class, in the pool of workers and in-process alike', async () => {
    for (const jobs of ['1', '2']) {
      const run = await runCli(['detect', '--model', fx.modelPath, '--jobs', jobs, fx.pagePath, fx.pagePath]);
      expect(run.code, run.stderr).toBe(0);
      const results = DetectionResultSchema.array().parse(JSON.parse(run.stdout));
      for (const result of results) {
        expect(result.model.classes).toEqual(THREE_CLASSES);
        expect(result.counts).toEqual(THREE_CLASS_COUNTS);
      }
    }
  });
});

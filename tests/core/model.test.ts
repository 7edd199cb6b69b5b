import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { CheckboxError, defaultModelPath } from '../../src-core/index.js';
import { loadModel } from '../../src-core/model.js';
import { encodeMetadataProps } from '../helpers/protobuf-writer.js';
import { constantOutputModel, identityModel, ULTRALYTICS_METADATA } from '../helpers/onnx-builder.js';
import { MODEL_PATH } from '../helpers/paths.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'cbd-model-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let n = 0;
const file = (bytes: Uint8Array): string => {
  const p = path.join(dir, `m${n++}.onnx`);
  writeFileSync(p, bytes);
  return p;
};

async function loadError(p: string): Promise<CheckboxError> {
  const err = await loadModel(p).then(
    async (m) => {
      await m.session.release();
      return undefined;
    },
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CheckboxError);
  return err as CheckboxError;
}

const e2eOutput = (): Float32Array => new Float32Array(300 * 6);

describe('loadModel', () => {
  it('reads the bundled model: names, input size, stride, task, dense output', async () => {
    const { info, session } = await loadModel(MODEL_PATH, { threads: 1 });
    await session.release();
    expect(info).toMatchObject({ classes: ['empty', 'filled'], stride: 32, task: 'detect', end2end: false });
    expect(info.imgsz[0] % 32).toBe(0);
    expect(info.version).toMatch(/^(sha256:[0-9a-f]{12}|.+)$/);
    // Exports record nms as False or None (the exporter's default); neither makes the output end-to-end.
    expect([false, null]).toContain(info.args.nms);
  });

  it('parses class names with commas and quotes from the metadata', async () => {
    const names = `{0: 'empty, unticked', 1: "filled ('x')"}`;
    const bytes = Buffer.concat([readFileSync(MODEL_PATH), encodeMetadataProps({ names })]);
    const { info, session } = await loadModel(file(bytes));
    await session.release();
    expect(info.classes).toEqual(['empty, unticked', "filled ('x')"]);
  });

  it('decides end-to-end output from the metadata (end2end or args nms=True), not from the shape', async () => {
    const byFlag = await loadModel(
      file(constantOutputModel([1, 300, 6], e2eOutput(), { ...ULTRALYTICS_METADATA, end2end: 'True' })),
    );
    expect(byFlag.info.end2end).toBe(true);
    await byFlag.session.release();
    const args = ULTRALYTICS_METADATA.args.replace("'nms': False", "'nms': True");
    const byArgs = await loadModel(
      file(constantOutputModel([1, 300, 6], e2eOutput(), { ...ULTRALYTICS_METADATA, args })),
    );
    expect(byArgs.info.end2end).toBe(true);
    await byArgs.session.release();
    // The same [1, 300, 6] output without the declaration is a 2-class dense model with the wrong shape.
    const undeclared = await loadError(
      file(constantOutputModel([1, 300, 6], e2eOutput(), ULTRALYTICS_METADATA)),
    );
    expect(undeclared.message).toMatch(/\[1, 6, N\]/);
  });

  it('rejects a model that is not a detector with invalid_model', async () => {
    expect((await loadError(file(identityModel()))).message).toMatch(/names/);
    expect((await loadError(file(identityModel([1, 10], ULTRALYTICS_METADATA)))).message).toMatch(
      /\[1, 3, H, W\]/,
    );
    const grey = constantOutputModel(
      [1, 6, 10],
      new Float32Array(60),
      ULTRALYTICS_METADATA,
      [1, 1, 640, 640],
    );
    expect((await loadError(file(grey))).code).toBe('invalid_model');
    const seg = constantOutputModel([1, 6, 10], new Float32Array(60), {
      ...ULTRALYTICS_METADATA,
      task: 'segment',
    });
    expect((await loadError(file(seg))).message).toMatch(/segment/);
  });

  it('reads the bundled model as a plain Ultralytics image input of free size, up to 640 px a side', async () => {
    const { info, session } = await loadModel(MODEL_PATH);
    await session.release();
    expect(info).toMatchObject({ imgsz: [640, 640], rectInput: true });
  });

  it('rejects corrupt, truncated and empty files; a missing file is model_not_found', async () => {
    const model = readFileSync(MODEL_PATH);
    for (const bytes of [
      Buffer.from('not an onnx model'),
      model.subarray(0, model.length / 2),
      Buffer.alloc(0),
    ]) {
      const err = await loadError(file(bytes));
      expect(err.code).toBe('invalid_model');
      expect(err.message).not.toMatch(/\n/);
    }
    expect((await loadError(path.join(dir, 'missing.onnx'))).code).toBe('model_not_found');
  });
});

describe('defaultModelPath', () => {
  it('prefers CHECKBOX_MODEL, else finds models/checkbox-detector.onnx above the core', () => {
    const saved = process.env.CHECKBOX_MODEL;
    try {
      process.env.CHECKBOX_MODEL = 'some/where.onnx';
      expect(defaultModelPath()).toBe(path.resolve('some/where.onnx'));
      delete process.env.CHECKBOX_MODEL;
      expect(defaultModelPath()).toMatch(/models[/\\]checkbox-detector\.onnx$/);
    } finally {
      if (saved === undefined) delete process.env.CHECKBOX_MODEL;
      else process.env.CHECKBOX_MODEL = saved;
    }
  });
});

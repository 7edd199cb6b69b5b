import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ProtobufError, readOnnxHeader } from '../../src-core/onnx-metadata.js';
import { encodeMetadataProps } from '../helpers/protobuf-writer.js';
import { identityModel } from '../helpers/onnx-builder.js';
import { MODEL_PATH } from '../helpers/paths.js';

describe('readOnnxHeader', () => {
  it('reads the Ultralytics metadata of the bundled model', () => {
    const { metadata } = readOnnxHeader(readFileSync(MODEL_PATH));
    expect(metadata.names).toBe("{0: 'empty', 1: 'filled'}");
    expect(metadata.task).toBe('detect');
    expect(metadata.imgsz).toMatch(/^\[\d+, \d+\]$/);
  });

  it('round-trips entries written after a model, the last one winning', () => {
    const base = identityModel([1, 4], { names: "{0: 'a'}" });
    const extra = encodeMetadataProps({ names: "{0: 'b, c'}", ключ: 'значение' });
    const { metadata, producerName } = readOnnxHeader(Buffer.concat([base, extra]));
    expect(producerName).toBe('onnx-builder');
    expect(metadata).toEqual({ names: "{0: 'b, c'}", ключ: 'значение' });
  });

  it('fails cleanly on bytes that are not protobuf', () => {
    expect(() => readOnnxHeader(Buffer.from('this is not a model at all'))).toThrow(ProtobufError);
    const model = identityModel();
    expect(() => readOnnxHeader(model.subarray(0, model.length - 3))).toThrow(ProtobufError);
  });
});

// Protobuf writing for tests: the ONNX models and metadata src-core/onnx-metadata.ts reads, built byte by byte.

const WIRE_LEN = 2;
const MODEL_METADATA_PROPS = 14;

/** Protobuf varint bytes of a non-negative integer (safe up to 2^53). */
export function encodeVarint(n: number): number[] {
  const out: number[] = [];
  while (n >= 0x80) {
    out.push((n % 128) | 0x80);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
}

/** A length-delimited protobuf field: tag, length, bytes. */
export function encodeLenField(fieldNumber: number, bytes: ArrayLike<number>): number[] {
  return [...encodeVarint(fieldNumber * 8 + WIRE_LEN), ...encodeVarint(bytes.length), ...Array.from(bytes)];
}

/**
 * Metadata entries as ModelProto field-14 bytes. Appending them to a model file adds (or, since the
 * last entry wins, overrides) metadata: tests use it to make model variants.
 */
export function encodeMetadataProps(entries: Record<string, string>): Uint8Array {
  const enc = new TextEncoder();
  const out: number[] = [];
  for (const [key, value] of Object.entries(entries)) {
    const entry = [...encodeLenField(1, enc.encode(key)), ...encodeLenField(2, enc.encode(value))];
    out.push(...encodeLenField(MODEL_METADATA_PROPS, entry));
  }
  return Uint8Array.from(out);
}

// onnxruntime-node has no API for an ONNX model's custom metadata, so read ModelProto.metadata_props
// (field 14, repeated StringStringEntryProto {1: key, 2: value}) with a minimal protobuf wire reader.

const WIRE_VARINT = 0;
const WIRE_I64 = 1;
const WIRE_LEN = 2;
const WIRE_I32 = 5;

const MODEL_METADATA_PROPS = 14;
const MODEL_PRODUCER_NAME = 2;

export class ProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufError';
  }
}

interface Field {
  number: number;
  wireType: number;
  /** Payload of a length-delimited field; empty for others. */
  bytes: Uint8Array;
  /** Value of a varint field (safe up to 2^53). */
  varint: number;
}

class WireReader {
  pos = 0;
  constructor(private readonly buf: Uint8Array) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw new ProtobufError('truncated varint');
      const byte = this.buf[this.pos++]!;
      result += (byte & 0x7f) * scale;
      if ((byte & 0x80) === 0) return result;
      scale *= 128;
    }
    throw new ProtobufError('varint longer than 10 bytes');
  }

  skip(n: number): void {
    if (this.pos + n > this.buf.length) throw new ProtobufError('field runs past the end of the message');
    this.pos += n;
  }

  field(): Field {
    const tag = this.varint();
    const number = Math.floor(tag / 8);
    const wireType = tag % 8;
    if (number === 0) throw new ProtobufError('field number 0');
    switch (wireType) {
      case WIRE_VARINT:
        return { number, wireType, bytes: new Uint8Array(0), varint: this.varint() };
      case WIRE_I64:
        this.skip(8);
        return { number, wireType, bytes: new Uint8Array(0), varint: 0 };
      case WIRE_I32:
        this.skip(4);
        return { number, wireType, bytes: new Uint8Array(0), varint: 0 };
      case WIRE_LEN: {
        const length = this.varint();
        const start = this.pos;
        this.skip(length);
        return { number, wireType, bytes: this.buf.subarray(start, start + length), varint: 0 };
      }
      default:
        throw new ProtobufError(`unsupported wire type ${wireType}`);
    }
  }
}

/** Every top-level field of a protobuf message. */
export function readFields(buf: Uint8Array): Field[] {
  const reader = new WireReader(buf);
  const fields: Field[] = [];
  while (!reader.done) fields.push(reader.field());
  return fields;
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function readStringEntry(bytes: Uint8Array): [string, string] {
  let key = '';
  let value = '';
  for (const f of readFields(bytes)) {
    if (f.wireType !== WIRE_LEN) continue;
    if (f.number === 1) key = utf8.decode(f.bytes);
    else if (f.number === 2) value = utf8.decode(f.bytes);
  }
  return [key, value];
}

export interface OnnxModelHeader {
  producerName: string;
  metadata: Record<string, string>;
}

/** Read producer name and metadata_props from ONNX ModelProto bytes. Throws ProtobufError when malformed. */
export function readOnnxHeader(model: Uint8Array): OnnxModelHeader {
  const metadata: Record<string, string> = Object.create(null) as Record<string, string>;
  let producerName = '';
  for (const f of readFields(model)) {
    if (f.wireType !== WIRE_LEN) continue;
    if (f.number === MODEL_METADATA_PROPS) {
      const [key, value] = readStringEntry(f.bytes);
      metadata[key] = value;
    } else if (f.number === MODEL_PRODUCER_NAME) {
      producerName = utf8.decode(f.bytes);
    }
  }
  return { producerName, metadata };
}

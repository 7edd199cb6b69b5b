// Parser for the Python literals that Ultralytics writes into ONNX metadata with str():
// `{0: 'empty', 1: 'filled'}`, `[640, 640]`, `{'nms': False, 'batch': 1}`. Not JSON: single quotes,
// True/False/None, tuples, int keys. Dicts become plain objects keyed by String(key).

export type PyValue = string | number | boolean | null | PyValue[] | PyDict;
export interface PyDict {
  [key: string]: PyValue;
}

export class PyLiteralError extends Error {
  constructor(
    message: string,
    readonly position: number,
  ) {
    super(`${message} at position ${position}`);
    this.name = 'PyLiteralError';
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\',
  "'": "'",
  '"': '"',
  n: '\n',
  r: '\r',
  t: '\t',
  a: '\x07',
  b: '\b',
  f: '\f',
  v: '\v',
  '0': '\0',
};

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  parseAll(): PyValue {
    const value = this.value();
    this.skipSpace();
    if (this.pos !== this.src.length) this.fail('unexpected trailing text');
    return value;
  }

  private fail(message: string): never {
    throw new PyLiteralError(message, this.pos);
  }

  private skipSpace(): void {
    while (this.pos < this.src.length && /\s/.test(this.src[this.pos]!)) this.pos++;
  }

  private peek(): string | undefined {
    return this.src[this.pos];
  }

  private expect(ch: string): void {
    this.skipSpace();
    if (this.src[this.pos] !== ch) this.fail(`expected '${ch}'`);
    this.pos++;
  }

  private value(): PyValue {
    this.skipSpace();
    const ch = this.peek();
    if (ch === undefined) this.fail('unexpected end of input');
    if (ch === '{') return this.dict();
    if (ch === '[') return this.sequence('[', ']');
    if (ch === '(') return this.sequence('(', ')');
    if (ch === "'" || ch === '"') return this.string();
    if (/[rRuU]/.test(ch) && /['"]/.test(this.src[this.pos + 1] ?? '')) return this.string();
    if (/[-+0-9.]/.test(ch)) return this.number();
    return this.keyword();
  }

  private dict(): PyDict {
    this.pos++; // {
    const out: PyDict = Object.create(null) as PyDict;
    for (;;) {
      this.skipSpace();
      if (this.peek() === '}') {
        this.pos++;
        return out;
      }
      const key = this.value();
      if (key !== null && typeof key === 'object') this.fail('unhashable dict key');
      this.expect(':');
      out[String(key)] = this.value();
      this.skipSpace();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== '}') this.fail("expected ',' or '}'");
    }
  }

  private sequence(open: string, close: string): PyValue[] {
    this.pos++; // open
    const out: PyValue[] = [];
    for (;;) {
      this.skipSpace();
      if (this.peek() === close) {
        this.pos++;
        return out;
      }
      out.push(this.value());
      this.skipSpace();
      if (this.peek() === ',') this.pos++;
      else if (this.peek() !== close) this.fail(`expected ',' or '${close}' after item of '${open}'`);
    }
  }

  private string(): string {
    let raw = false;
    while (/[rRuU]/.test(this.peek() ?? '')) {
      if (/[rR]/.test(this.peek()!)) raw = true;
      this.pos++;
    }
    const quote = this.peek()!;
    const triple = this.src.startsWith(quote.repeat(3), this.pos);
    const terminator = triple ? quote.repeat(3) : quote;
    this.pos += terminator.length;
    let out = '';
    for (;;) {
      if (this.pos >= this.src.length) this.fail('unterminated string');
      if (this.src.startsWith(terminator, this.pos)) {
        this.pos += terminator.length;
        return out;
      }
      const ch = this.src[this.pos]!;
      if (ch === '\n' && !triple) this.fail('newline in string');
      if (ch !== '\\') {
        out += ch;
        this.pos++;
        continue;
      }
      if (raw) {
        // In raw strings a backslash stays, and it only protects the following quote from ending the string.
        out += ch + (this.src[this.pos + 1] ?? '');
        this.pos += 2;
        continue;
      }
      out += this.escape();
    }
  }

  private escape(): string {
    const code = this.src[this.pos + 1];
    if (code === undefined) this.fail('unterminated escape');
    this.pos += 2;
    if (code === '\n') return ''; // line continuation
    const simple = SIMPLE_ESCAPES[code];
    if (simple !== undefined && !(code === '0' && /[0-7]/.test(this.peek() ?? ''))) return simple;
    const hexLength = code === 'x' ? 2 : code === 'u' ? 4 : code === 'U' ? 8 : 0;
    if (hexLength > 0) {
      const hex = this.src.slice(this.pos, this.pos + hexLength);
      if (!new RegExp(`^[0-9a-fA-F]{${hexLength}}$`).test(hex)) this.fail(`bad \\${code} escape`);
      this.pos += hexLength;
      return String.fromCodePoint(parseInt(hex, 16));
    }
    if (/[0-7]/.test(code)) {
      const octal = /^[0-7]{0,2}/.exec(this.src.slice(this.pos))![0];
      this.pos += octal.length;
      return String.fromCodePoint(parseInt(code + octal, 8));
    }
    // Python keeps unknown escapes verbatim.
    return '\\' + code;
  }

  private number(): number {
    const match = /^[-+]?(?:inf|nan|(?:\d[\d_]*)?\.?[\d_]*(?:[eE][-+]?\d+)?)/.exec(this.src.slice(this.pos));
    const text = match?.[0] ?? '';
    if (!/\d|inf|nan/.test(text)) this.fail('bad number');
    this.pos += text.length;
    const clean = text.replace(/_/g, '');
    if (clean.endsWith('inf')) return clean.startsWith('-') ? -Infinity : Infinity;
    if (clean.endsWith('nan')) return NaN;
    const value = Number(clean);
    if (Number.isNaN(value)) this.fail(`bad number '${text}'`);
    return value;
  }

  private keyword(): boolean | null | number {
    const word = /^[A-Za-z_]\w*/.exec(this.src.slice(this.pos))?.[0];
    if (word === 'inf' || word === 'nan') return this.number(); // str(float('inf')) is a bare word
    if (word === 'True' || word === 'False' || word === 'None') {
      this.pos += word.length;
      return word === 'True' ? true : word === 'False' ? false : null;
    }
    this.fail(word ? `unknown name '${word}'` : 'unexpected character');
  }
}

/** Parse one Python literal (as produced by str()/repr()). Throws PyLiteralError on bad input. */
export function parsePyLiteral(text: string): PyValue {
  return new Parser(text).parseAll();
}

export function isPyDict(value: PyValue | undefined): value is PyDict {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

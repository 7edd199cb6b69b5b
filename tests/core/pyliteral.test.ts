import { describe, expect, it } from 'vitest';
import { parsePyLiteral, PyLiteralError } from '../../src-core/pyliteral.js';

describe('parsePyLiteral', () => {
  it('reads Ultralytics names, imgsz and args', () => {
    expect(parsePyLiteral("{0: 'empty', 1: 'filled'}")).toEqual({ '0': 'empty', '1': 'filled' });
    expect(parsePyLiteral('[640, 640]')).toEqual([640, 640]);
    expect(
      parsePyLiteral(
        "{'batch': 1, 'half': False, 'dynamic': False, 'simplify': True, 'opset': None, 'nms': False}",
      ),
    ).toEqual({ batch: 1, half: false, dynamic: false, simplify: true, opset: null, nms: false });
  });

  it('keeps commas, colons, braces and quotes inside strings', () => {
    expect(parsePyLiteral(`{0: 'yes, checked', 1: "it's: {filled}", 2: 'say "hi"', 3: 'a\\'b'}`)).toEqual({
      '0': 'yes, checked',
      '1': "it's: {filled}",
      '2': 'say "hi"',
      '3': "a'b",
    });
  });

  it('decodes escapes the way Python repr writes them', () => {
    expect(parsePyLiteral(String.raw`'tab\there\nnew \\ back \x41 \u00e9 \U0001F600 \101'`)).toBe(
      'tab\there\nnew \\ back A é 😀 A',
    );
    expect(parsePyLiteral(String.raw`'unknown \q stays'`)).toBe('unknown \\q stays');
    expect(parsePyLiteral(String.raw`r'raw \n'`)).toBe('raw \\n');
    expect(parsePyLiteral(`'''triple 'quoted' text'''`)).toBe("triple 'quoted' text");
  });

  it('reads numbers, tuples, nesting and trailing commas', () => {
    expect(parsePyLiteral('(1, -2.5, 3e-4, +7, 1_000, .5, 5.)')).toEqual([1, -2.5, 3e-4, 7, 1000, 0.5, 5]);
    expect(parsePyLiteral('{"a": [1, (2, 3), {"b": None}], }')).toEqual({ a: [1, [2, 3], { b: null }] });
    expect(parsePyLiteral('(1,)')).toEqual([1]);
    expect(parsePyLiteral('{}')).toEqual({});
    expect(parsePyLiteral('  [ ]  ')).toEqual([]);
    expect(parsePyLiteral('[inf, -inf]')).toEqual([Infinity, -Infinity]);
    expect(Number.isNaN(parsePyLiteral('nan'))).toBe(true);
  });

  it('rejects what is not a literal', () => {
    for (const bad of [
      "{0: 'a'",
      "'open",
      '[1 2]',
      'true',
      'os.system("x")',
      '{[1]: 2}',
      '1 2',
      '',
      "{0 'a'}",
      '1.2.3',
    ]) {
      expect(() => parsePyLiteral(bad), bad).toThrow(PyLiteralError);
    }
  });
});

// JSON over HTTP cannot carry bytes; browser mode wraps each Uint8Array as {"$bytes": base64}.
// Pure ECMAScript so the renderer and the Node server share it.
const TAG = '$bytes';

function toBase64(bytes: Uint8Array): string {
  let s = '';
  const chunk = 0x8000;
  for (let i = 0; i < bytes.length; i += chunk) s += String.fromCharCode(...bytes.subarray(i, i + chunk));
  return btoa(s);
}

function fromBase64(b64: string): Uint8Array {
  const s = atob(b64);
  const out = new Uint8Array(s.length);
  for (let i = 0; i < s.length; i++) out[i] = s.charCodeAt(i);
  return out;
}

export function encodeWire(value: unknown, base64 = toBase64): string {
  return JSON.stringify(value, (_k, v: unknown) => (v instanceof Uint8Array ? { [TAG]: base64(v) } : v));
}

export function decodeWire<T>(text: string): T {
  return JSON.parse(text, (_k, v: unknown) =>
    v !== null && typeof v === 'object' && TAG in v && typeof (v as Record<string, unknown>)[TAG] === 'string'
      ? fromBase64((v as Record<string, string>)[TAG]!)
      : v,
  ) as T;
}

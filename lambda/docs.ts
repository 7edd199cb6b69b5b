// /docs: the OpenAPI document rendered as one self-contained HTML page (no scripts, no CDN),
// so the contract is browsable from a Lambda with no internet access of its own.

type JsonObject = Record<string, unknown>;

const escape = (text: string) =>
  text.replace(
    /[&<>"']/g,
    (ch) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[ch]!,
  );

const asObject = (value: unknown): JsonObject =>
  value && typeof value === 'object' ? (value as JsonObject) : {};

function schemaText(schema: unknown): string {
  const s = asObject(schema);
  if (typeof s.$ref === 'string') return s.$ref.split('/').pop()!;
  const range = [
    s.minimum !== undefined ? `≥ ${s.minimum}` : '',
    s.maximum !== undefined ? `≤ ${s.maximum}` : '',
  ]
    .filter(Boolean)
    .join(', ');
  const type = Array.isArray(s.enum) ? s.enum.join(' | ') : String(s.type ?? 'any');
  return [type, range, s.default !== undefined ? `default ${JSON.stringify(s.default)}` : '']
    .filter(Boolean)
    .join('; ');
}

function operation(path: string, method: string, op: JsonObject): string {
  const params = (op.parameters as JsonObject[] | undefined) ?? [];
  const body = asObject(asObject(op.requestBody).content);
  const responses = asObject(op.responses);
  const rows = params
    .map(
      (p) =>
        `<tr><td><code>${escape(String(p.name))}</code></td><td>${escape(String(p.in))}</td>` +
        `<td>${escape(schemaText(p.schema))}</td><td>${escape(String(asObject(p.schema).description ?? ''))}</td></tr>`,
    )
    .join('');
  return `<section id="${escape(method + path)}">
<h2><span class="m">${method.toUpperCase()}</span> <code>${escape(path)}</code></h2>
<p>${escape(String(op.summary ?? ''))}${op.description ? ` — ${escape(String(op.description))}` : ''}</p>
${rows ? `<table><tr><th>parameter</th><th>in</th><th>schema</th><th></th></tr>${rows}</table>` : ''}
${
  Object.keys(body).length
    ? `<p>Request body: ${Object.keys(body)
        .map((t) => `<code>${escape(t)}</code>`)
        .join(', ')}</p>`
    : ''
}
<ul>${Object.entries(responses)
    .map(([status, r]) => {
      const types = Object.entries(asObject(asObject(r).content))
        .map(([t, c]) => `<code>${escape(t)}</code> ${escape(schemaText(asObject(c).schema))}`)
        .join(', ');
      return `<li><b>${escape(status)}</b> ${escape(String(asObject(r).description ?? ''))} ${types}</li>`;
    })
    .join('')}</ul>
</section>`;
}

export function renderDocs(doc: JsonObject): string {
  const info = asObject(doc.info);
  const ops = Object.entries(asObject(doc.paths)).flatMap(([path, item]) =>
    Object.entries(asObject(item)).map(([method, op]) => operation(path, method, asObject(op))),
  );
  const schemas = Object.entries(asObject(asObject(doc.components).schemas))
    .map(
      ([name, s]) =>
        `<h3 id="${escape(name)}">${escape(name)}</h3><pre>${escape(JSON.stringify(s, null, 2))}</pre>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escape(String(info.title))}</title>
<style>
body{font:15px/1.5 system-ui,sans-serif;max-width:960px;margin:2rem auto;padding:0 1rem;color:#1d2330}
h2{font-size:1.1rem;margin-top:2rem;border-top:1px solid #ddd;padding-top:1rem}
.m{display:inline-block;min-width:3.5rem;padding:0 .4rem;border-radius:4px;background:#24527a;color:#fff;font-size:.85rem;text-align:center}
code,pre{font-family:ui-monospace,Menlo,Consolas,monospace;font-size:.85rem}
pre{background:#f4f6f8;padding:.75rem;overflow:auto;border-radius:4px}
table{border-collapse:collapse}td,th{border:1px solid #ddd;padding:.2rem .5rem;text-align:left}
</style></head><body>
<h1>${escape(String(info.title))} <small>${escape(String(info.version))}</small></h1>
<p>${escape(String(info.description ?? ''))}</p>
<p>Machine-readable: <a href="openapi.json">openapi.json</a> (OpenAPI ${escape(String(doc.openapi))}).</p>
<p>Try it: <code>curl -F "file=@page.jpg" -F "conf=0.2" BASE_URL/predict</code></p>
${ops.join('\n')}
<h2>Schemas</h2>
${schemas}
</body></html>`;
}

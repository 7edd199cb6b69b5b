// Which Python `npm run bench` uses, and the one-line hint when it cannot: the training venv by default,
// each missing package named with the pip command that installs it.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { PYTHON_PACKAGES, findPython } from '../../scripts/bench/children.js';

// The machine's own Python (the real interpreter, not a shim), which has none of the references' packages.
const python = execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], {
  encoding: 'utf8',
}).trim();
const work = mkdtempSync(path.join(tmpdir(), 'cbd-bench-py-'));
const saved = { PYTHON: process.env.PYTHON, PYTHONPATH: process.env.PYTHONPATH };
afterEach(() => {
  for (const [k, v] of Object.entries(saved))
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('findPython', () => {
  it('defaults to the training venv, venv/bin/python under the repository', async () => {
    delete process.env.PYTHON;
    expect(await findPython(work)).toEqual({
      missing: `no Python at ${path.join(work, 'venv/bin/python')} (run scripts/train/setup.sh, or set $PYTHON to a venv with ultralytics)`,
    });
  });

  it('names every missing package and the pip command, in one line', async () => {
    process.env.PYTHON = python;
    // Stand-in modules for every package but onnx and onnxslim.
    const stubs = path.join(work, 'stubs');
    mkdirSync(stubs, { recursive: true });
    const absent = ['onnx', 'onnxslim'];
    for (const m of Object.keys(PYTHON_PACKAGES).filter((m) => !absent.includes(m)))
      writeFileSync(path.join(stubs, `${m}.py`), '');
    process.env.PYTHONPATH = stubs;
    expect(await findPython(work)).toEqual({
      missing: `${python} lacks onnx, onnxslim: ${python} -m pip install onnx onnxslim`,
    });
    writeFileSync(path.join(stubs, 'onnx.py'), '');
    writeFileSync(path.join(stubs, 'onnxslim.py'), '');
    expect(await findPython(work)).toMatchObject({ python, env: { OMP_NUM_THREADS: expect.any(String) } });
  });
});

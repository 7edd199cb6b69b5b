// Runs the packed core with plain Node: app.asar extracted (with its unpacked native modules) into a
// temporary resources/app folder, the packed pool worker started by scripts/pack/packed-core-runner.mjs,
// the model taken from the packed tree. It must find the bundled model the way the packaged app does
// (process.resourcesPath, and by walking up from the app when that is unset), detect the fixture
// boxes, and answer exactly what the source tree's core answers.
import { extractAll } from '@electron/asar';
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, realpath, rm, symlink } from 'node:fs/promises';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import { metricsAtConf } from '../../src-cli/metrics.js';
import { DEFAULT_CONF, Detector, type DetectionResult } from '../../src-core/index.js';
import type { DetectedFile, WorkerRequest } from '../../src-core/worker-protocol.js';

const run = promisify(execFile);
const RUNNER = fileURLToPath(new URL('./packed-core-runner.mjs', import.meta.url));

export interface SmokeFixture {
  file: string;
  /** Truth boxes per page, where known: the packed core must find them. */
  truth?: Array<{ boxes: Array<{ class: string; box: [number, number, number, number] }> }>;
}

export interface SmokeOptions {
  appOutDir: string;
  modelSource: string;
  fixtures: SmokeFixture[];
  dpi: number;
  /** Packages the packed core must load from the packed tree, not from anywhere else. */
  nativePackages: string[];
}

export interface SmokeReport {
  problems: string[];
  lines: string[];
}

type Answer =
  | { id: number; ok: true; value: unknown }
  | { id: number; ok: false; error: { code: string; message: string } };

async function askPackedCore(
  worker: string,
  resourcesPath: string | null,
  requests: object[],
): Promise<Answer[]> {
  // A clean environment: no NODE_OPTIONS (tsx), no model override, no extra module paths.
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !['NODE_OPTIONS', 'NODE_PATH', 'CHECKBOX_MODEL'].includes(k)),
  );
  const { stdout } = await run(
    process.execPath,
    [RUNNER, worker, resourcesPath ?? '-', JSON.stringify(requests)],
    {
      env,
      maxBuffer: 64 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout) as Answer[];
}

/** Same boxes, classes and confidences, up to the rounding the core applies to its output. */
function sameDetections(a: DetectionResult, b: DetectionResult): boolean {
  return (
    a.detections.length === b.detections.length &&
    a.detections.every((d, i) => {
      const e = b.detections[i]!;
      return (
        d.class === e.class &&
        Math.abs(d.confidence - e.confidence) <= 2e-4 &&
        d.box.every((v, k) => Math.abs(v - e.box[k]!) <= 0.02)
      );
    })
  );
}

export async function smokeDetect(opts: SmokeOptions): Promise<SmokeReport> {
  const problems: string[] = [];
  const lines: string[] = [];
  const packedResources = path.join(opts.appOutDir, 'resources');
  const packedModel = path.join(packedResources, 'models', path.basename(opts.modelSource));
  const work = await mkdtemp(path.join(os.tmpdir(), 'cbd-packed-'));
  try {
    const resources = path.join(work, 'resources');
    const app = path.join(resources, 'app');
    extractAll(path.join(packedResources, 'app.asar'), app);
    await symlink(path.join(packedResources, 'models'), path.join(resources, 'models'), 'dir');
    const worker = path.join(app, 'dist/main/pool-worker.js');

    const fromWorker = createRequire(worker);
    for (const pkg of opts.nativePackages) {
      const where = fromWorker.resolve(pkg);
      if (!where.startsWith(app + path.sep)) problems.push(`the packed core would load ${pkg} from ${where}`);
    }

    const requests: WorkerRequest[] = [
      { id: 1, type: 'model-info', model: { modelPath: null } },
      ...opts.fixtures.map((f, i): WorkerRequest => ({
        id: 2 + i,
        type: 'detect',
        file: f.file,
        model: { modelPath: null },
        opts: { source: path.basename(f.file), conf: DEFAULT_CONF, dpi: opts.dpi },
      })),
    ];
    const [asElectron, withoutResourcesPath] = await Promise.all([
      askPackedCore(worker, packedResources, requests),
      askPackedCore(worker, null, requests.slice(0, 1)),
    ]);
    for (const a of [...asElectron, ...withoutResourcesPath]) {
      if (!a.ok) problems.push(`packed core, request ${a.id}: ${a.error.code}: ${a.error.message}`);
    }
    if (problems.length) return { problems, lines };

    const [info, ...detections] = asElectron.map((a) => (a as { value: unknown }).value);
    const modelPath = (info as { path: string }).path;
    if (modelPath !== packedModel)
      problems.push(`with process.resourcesPath set, the packed core used ${modelPath}, not ${packedModel}`);
    const walked = (withoutResourcesPath[0] as { value: { path: string } }).value.path;
    if ((await realpath(walked).catch(() => walked)) !== (await realpath(packedModel))) {
      problems.push(`without process.resourcesPath, the packed core used ${walked}, not the packed model`);
    }

    const detector = await Detector.create({ modelPath: opts.modelSource });
    try {
      for (const [i, fixture] of opts.fixtures.entries()) {
        const packed = (detections[i] as DetectedFile).results;
        const name = path.basename(fixture.file);
        const source = await detector.detectFile(await readFile(fixture.file), {
          conf: DEFAULT_CONF,
          dpi: opts.dpi,
        });
        if (packed.length !== source.length)
          problems.push(`${name}: ${packed.length} pages packed, ${source.length} from source`);
        for (const [p, result] of packed.entries()) {
          const label = `${name} page ${p + 1}`;
          if (result.counts.total === 0) problems.push(`${label}: the packed core found no checkbox`);
          if (source[p] && !sameDetections(result, source[p]))
            problems.push(`${label}: packed and source cores disagree`);
          const truth = fixture.truth?.[p];
          if (truth) {
            const m = metricsAtConf(
              [
                {
                  truth: truth.boxes.map((b) => ({
                    classId: result.model.classes.indexOf(b.class),
                    box: b.box,
                  })),
                  predictions: result.detections.map((d) => ({
                    classId: result.model.classes.indexOf(d.class),
                    score: d.confidence,
                    box: d.box,
                  })),
                },
              ],
              0,
            );
            // The core's own bar for a usable model on these generated pages (tests/core).
            if (m.recall < 0.9 || m.stateAccuracy < 0.9) {
              problems.push(
                `${label}: recall ${m.recall.toFixed(2)}, state accuracy ${m.stateAccuracy.toFixed(2)}`,
              );
            }
            lines.push(
              `${label}: ${result.counts.total} boxes (${result.counts.empty} empty, ${result.counts.filled} filled); ` +
                `${m.matched}/${m.truth} of the truth found, states ${(m.stateAccuracy * 100).toFixed(0)}% right`,
            );
          } else {
            lines.push(
              `${label}: ${result.counts.total} boxes (${result.counts.empty} empty, ${result.counts.filled} filled)`,
            );
          }
        }
      }
    } finally {
      await detector.dispose();
    }
    lines.push(
      `model: ${path.relative(opts.appOutDir, modelPath)} (found from process.resourcesPath and from the app folder)`,
    );
    return { problems, lines };
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

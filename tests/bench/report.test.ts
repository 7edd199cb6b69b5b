import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { chartSvg, renderChart } from '../../scripts/bench/chart.js';
import type { ColdRow } from '../../scripts/bench/measurements/cold.js';
import type { BatchRow, WarmRow } from '../../scripts/bench/measurements/warm.js';
import { failedGates, renderMarkdown, type BenchReport } from '../../scripts/bench/report.js';

const warm = (key: WarmRow['key'], p50: number, pagesPerSecond: number, peakRssMb: number): WarmRow => ({
  key,
  label: key,
  runtime: 'rt',
  model: 'm',
  n: 10,
  p50,
  p95: p50 * 1.2,
  mean: p50,
  pagesPerSecond,
  cpuP50: p50,
  otherCores: 0,
  peakRssMb,
});
const cold = (key: ColdRow['key'], ms: number, rss: number): ColdRow => ({
  key,
  label: key,
  command: 'cmd',
  firstResultMs: ms,
  samplesMs: [ms],
  cpuMs: ms,
  otherCores: 0,
  peakRssMb: rss,
});

const batchRow = (pagesPerSecond: number, extra: Partial<BatchRow> = {}): BatchRow => ({
  label: 'lanes',
  pages: 30,
  seconds: 30 / pagesPerSecond,
  pagesPerSecond,
  peakRssMb: 300,
  otherCores: 0,
  ...extra,
});

interface Overrides {
  warm?: WarmRow[];
  batch?: BatchRow[];
  cold?: ColdRow[];
  run?: Partial<BenchReport['run']>;
}

function report(o: Overrides = {}): BenchReport {
  return {
    run: {
      date: '2026-01-01T00:00:00.000Z',
      command: 'npm run bench',
      machine: {
        cpu: 'Test CPU',
        vector: 'avx2 avx512f avx512_vnni',
        cores: 2,
        memoryGiB: 8,
        os: 'Linux',
        node: 'v20',
        onnxruntime: '1.30.0',
        sharp: '0.35',
        commit: 'abc',
      },
      loadBefore: 0.1,
      model: { file: 'models/m.onnx', sha: '123' },
      pages: [{ name: 'a.png', width: 10, height: 20, origin: 'fixture' }],
      skipped: [],
      ...o.run,
    },
    results: {
      warm: {
        rounds: 3,
        warm: o.warm ?? [
          warm('ours', 20, 50, 150),
          warm('ul-pt', 50, 20, 800),
          warm('predecessor', 250, 4, 1000),
        ],
        batch: o.batch ?? [batchRow(100)],
        skipped: [],
      },
      cold: {
        page: { name: 'a.png', width: 10, height: 20 },
        rows: o.cold ?? [
          cold('lambda', 300, 200),
          cold('cli-bundled', 450, 190),
          cold('cli', 700, 220),
          cold('fastapi-predecessor', 6000, 1000),
          cold('fastapi-same', 4000, 800),
        ],
        notes: [],
      },
    },
  };
}

/** The result cell of an acceptance row, by the start of its criterion. */
function verdict(md: string, criterion: string): string {
  const row = md.split('\n').find((l) => l.startsWith(`| ${criterion}`));
  if (!row) throw new Error(`no row for ${criterion}`);
  return row.split('|').at(-2)!.trim();
}

describe('acceptance table', () => {
  it('passes each criterion on ratios within its target', () => {
    const md = renderMarkdown(report(), 'docs/benchmarks.png');
    expect(verdict(md, 'Warm latency p50 vs Ultralytics PyTorch')).toBe('**pass**'); // 20/50 <= 1/2
    expect(verdict(md, 'Warm latency p50 vs predecessor')).toBe('**pass**'); // 20/250 <= 1/10
    expect(verdict(md, 'Cold start: Lambda handler vs Python service |')).toBe('**pass**');
    expect(verdict(md, 'Peak RSS: Lambda handler vs Python service |')).toBe('**pass**'); // 200/1000
    expect(verdict(md, 'Batch pages/s')).toBe('met (reported)'); // 100/50 = 2x
  });

  it('fails a criterion just past its target', () => {
    const md = renderMarkdown(
      report({
        warm: [warm('ours', 26, 50, 300), warm('ul-pt', 50, 20, 800), warm('predecessor', 250, 4, 1000)],
        batch: [batchRow(79)],
      }),
      'x.png',
    );
    expect(verdict(md, 'Warm latency p50 vs Ultralytics PyTorch')).toBe('**FAIL**'); // 26/50 > 1/2
    expect(verdict(md, 'Warm latency p50 vs predecessor')).toBe('**FAIL**'); // 26/250 > 1/10
    expect(verdict(md, 'Peak RSS: warm pipeline')).toBe('**FAIL**'); // 300/800 > 1/3
    expect(verdict(md, 'Batch pages/s')).toBe('not met (reported)'); // 79/50 < 1.6
  });

  it('fails the run on a failed gate only, not on a reported row', () => {
    expect(failedGates(report())).toEqual([]);
    // The batch ratio and the tsx cold start are reported only.
    const reportedOnly = report({
      batch: [batchRow(10)],
      cold: [cold('cli', 5000, 220), cold('cli-bundled', 450, 190), cold('fastapi-predecessor', 6000, 1000)],
    });
    expect(failedGates(reportedOnly)).toEqual([]);
    const slowLambda = report({ cold: [cold('lambda', 900, 200), cold('fastapi-predecessor', 6000, 1000)] });
    expect(failedGates(slowLambda).map((c) => c.name)).toEqual([
      'Cold start: Lambda handler vs Python service',
    ]);
  });

  it('shows how the warm ratios spread over the rounds, and nothing for rows without rounds', () => {
    const rounds = (key: WarmRow['key'], p50s: number[]): WarmRow => ({
      ...warm(key, p50s[1]!, 50, 150),
      roundP50: p50s,
    });
    const md = renderMarkdown(
      report({
        warm: [
          rounds('ours', [18, 20, 22]),
          rounds('ul-pt', [45, 50, 40]),
          warm('predecessor', 250, 4, 1000),
        ],
      }),
      'x.png',
    );
    const cells = (criterion: string) =>
      md
        .split('\n')
        .find((l) => l.startsWith(`| ${criterion}`))!
        .split('|')
        .map((c) => c.trim());
    expect(cells('Warm latency p50 vs Ultralytics PyTorch, same model |')[5]).toBe('0.400–0.550'); // 18/45 .. 22/40
    expect(cells("Warm latency p50 vs predecessor's YOLO11m |")[5]).toBe(''); // no rounds recorded
    expect(cells('Batch pages/s vs one page at a time |')[5]).toBe('');
  });

  it("compares each round's batch with the same round's one-page rate", () => {
    const single = { ...warm('ours', 20, 50, 150), roundPagesPerSecond: [40, 50, 60] };
    const batch = batchRow(100, { roundPagesPerSecond: [70, 100, 130], passesPerRound: 5 });
    const md = renderMarkdown(
      report({ warm: [single, warm('ul-pt', 50, 20, 800)], batch: [batch] }),
      'x.png',
    );
    const row = md.split('\n').find((l) => l.startsWith('| Batch pages/s vs one page at a time |'))!;
    expect(row.split('|').map((c) => c.trim())[5]).toBe('1.75x–2.17x'); // 70/40 .. 130/60
    expect(md).toContain('then times 5 passes as one batch');
  });

  it('says "not measured" when a reference is missing (Python skipped)', () => {
    const md = renderMarkdown(
      report({
        warm: [warm('ours', 20, 50, 150)],
        cold: [],
        run: { skipped: ['Python references skipped: no venv.'] },
      }),
      'x.png',
    );
    expect(verdict(md, 'Warm latency p50 vs Ultralytics PyTorch')).toBe('not measured');
    expect(md).toContain('- Python references skipped: no venv.');
  });

  it('records the command, machine, date and load', () => {
    const otherLoad = {
      meanCores: 0.9,
      maxCores: 1.8,
      seconds: 300,
      busiest: [{ command: 'python', cores: 0.8 }],
    };
    const md = renderMarkdown(
      report({ run: { otherLoad, note: 'training on both cores' } }),
      'docs/benchmarks.png',
    );
    expect(md).toContain('`npm run bench`');
    expect(md).toContain('Test CPU (avx2 avx512f avx512_vnni), 2 cores');
    expect(md).toContain('2026-01-01T00:00:00.000Z');
    expect(md).toContain('the machine was shared');
    expect(md).toContain('0.90 cores on average');
    expect(md).toContain('python 0.80');
    expect(md).toContain('training on both cores');
    expect(md).toContain('![Benchmark chart](benchmarks.png)');
  });
});

describe('chart', () => {
  const panels = [
    {
      title: 'Latency <ms>',
      unit: 'ms',
      bars: [
        { label: 'A & B', value: 10, ours: true },
        { label: 'C', value: 40, ours: false },
      ],
    },
  ];

  it('escapes text and scales bars to the largest value', () => {
    const svg = chartSvg(panels, 'T');
    expect(svg).toContain('Latency &lt;ms&gt;');
    expect(svg).toContain('A &amp; B');
    const widths = [...svg.matchAll(/<rect x="\d+" y="\d+" width="([\d.]+)" height="26"/g)].map((m) =>
      Number(m[1]),
    );
    expect(widths).toHaveLength(2);
    expect(widths[1]! / widths[0]!).toBeCloseTo(4, 1);
  });

  it('renders a PNG', async () => {
    const meta = await sharp(await renderChart(panels, 'T')).metadata();
    expect(meta.format).toBe('png');
    expect(meta.width).toBe(1100);
  });
});

describe('writeReport', () => {
  it('rewrites the numbers but keeps the hand-written notes', async () => {
    const { mkdtemp, readFile, rm, writeFile } = await import('node:fs/promises');
    const os = await import('node:os');
    const path = await import('node:path');
    const { NOTES_MARKER, writeReport } = await import('../../scripts/bench/report.js');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'bench-report-'));
    try {
      const md = path.join(dir, 'benchmarks.md');
      await writeFile(md, `# old numbers\n${NOTES_MARKER}\n## Analysis\nkeep me\n`);
      const written = await writeReport(report(), md);
      const text = await readFile(md, 'utf8');
      expect(text).not.toContain('# old numbers');
      expect(text).toContain('## Acceptance');
      expect(text.endsWith(`${NOTES_MARKER}\n## Analysis\nkeep me\n`)).toBe(true);
      expect(written[0]).toBe(path.join(dir, 'benchmarks.png'));
      expect((await sharp(written[0]!).metadata()).format).toBe('png');
      // The raw results beside it render the same page again (--render).
      const raw = JSON.parse(await readFile(path.join(dir, 'benchmarks.json'), 'utf8')) as BenchReport;
      expect(renderMarkdown(raw, 'x.png')).toBe(renderMarkdown(report(), 'x.png'));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});

describe('the text row', () => {
  const withResults = (results: BenchReport['results']): BenchReport => ({ ...report(), results });

  it('reports the scanned page with --text auto against +50% of its detection time, without failing the run', () => {
    const text = (auto: number) =>
      withResults({ text: { pages: 1, samples: [{ file: 'scan-1.jpg', off: 100, auto }] } });
    expect(verdict(renderMarkdown(text(140), 'x.png'), 'Scanned page')).toBe('met (reported)');
    expect(verdict(renderMarkdown(text(160), 'x.png'), 'Scanned page')).toBe('not met (reported)');
    expect(failedGates(text(160))).toEqual([]);
  });
});

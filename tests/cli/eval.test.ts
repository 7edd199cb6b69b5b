import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EvalReport } from '../../src-cli/eval-command.js';
import { runCli } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';
import { truth } from '../helpers/truth.js';

const tmp = mkdtempSync(path.join(os.tmpdir(), 'cbd-eval-'));
const dataset = path.join(tmp, 'dataset');
const SINGLE_PAGE = ['page.png', 'page.jpg', 'page.webp', 'page.bmp'];

/** A YOLO dataset from the single-page fixtures: normalised `class cx cy w h` lines. */
beforeAll(() => {
  mkdirSync(path.join(dataset, 'images/sub'), { recursive: true });
  mkdirSync(path.join(dataset, 'labels/sub'), { recursive: true });
  for (const [i, name] of SINGLE_PAGE.entries()) {
    const stem = `${i}-${name}`;
    const rel = i % 2 ? path.join('sub', stem) : stem; // nested folders mirror between images/ and labels/
    copyFileSync(fixture(name), path.join(dataset, 'images', rel));
    const t = truth.files[name]![0]!;
    const lines = t.boxes.map(({ class: c, box: [x1, y1, x2, y2] }) =>
      [
        c === 'empty' ? 0 : 1,
        (x1 + x2) / 2 / t.width,
        (y1 + y2) / 2 / t.height,
        (x2 - x1) / t.width,
        (y2 - y1) / t.height,
      ].join(' '),
    );
    writeFileSync(path.join(dataset, 'labels', rel.replace(/\.\w+$/, '.txt')), lines.join('\n') + '\n');
  }
});
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

describe('checkbox-detector eval', () => {
  it('scores a YOLO dataset: per-class AP, mAP, and P/R/state accuracy at conf', async () => {
    const run = await runCli(['eval', '--json', '--conf', '0.2', '--sweep', '0.2, 0.5,0.9', dataset]);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as EvalReport;
    const boxes = SINGLE_PAGE.flatMap((n) => truth.files[n]![0]!.boxes);
    expect(report.images).toBe(SINGLE_PAGE.length);
    expect(report.classes.map((c) => [c.name, c.boxes])).toEqual([
      ['empty', boxes.filter((b) => b.class === 'empty').length],
      ['filled', boxes.filter((b) => b.class === 'filled').length],
    ]);
    expect(report.atConf.truth).toBe(boxes.length);
    expect(report.recallBySize.reduce((n, b) => n + b.truth, 0)).toBe(boxes.length);
    for (const c of report.classes) expect(c.ap50_95).toBeLessThanOrEqual(c.ap50);
    // What a usable model reaches on these clean generated pages.
    expect(report.map50).toBeGreaterThanOrEqual(0.85);
    expect(report.atConf.recall).toBeGreaterThanOrEqual(0.9);
    expect(report.atConf.stateAccuracy).toBeGreaterThanOrEqual(0.9);
    // The sweep scores the same run at each threshold: fewer boxes kept as it rises.
    expect(report.sweep.map((m) => m.conf)).toEqual([0.2, 0.5, 0.9]);
    expect(report.sweep[0]).toEqual(report.atConf);
    const kept = report.sweep.map((m) => m.predictions);
    expect(kept[1]).toBeLessThanOrEqual(kept[0]!);
    expect(kept[2]).toBeLessThan(kept[1]!);
  });

  it('prints a readable table by default and refuses a folder without images/', async () => {
    const run = await runCli(['eval', dataset]);
    expect(run.stdout).toMatch(/^class\s+boxes\s+AP50\s+AP50-95$/m);
    expect(run.stdout).toMatch(/^all\s+\d+\s+[01]\.\d{3}\s+[01]\.\d{3}$/m);
    expect(run.stdout).toMatch(/state accuracy/);
    expect(run.stdout).toMatch(/^recall by box side: 0-20 px [01]\.\d{3} \(\d+\), 20-28 px .*, >=28 px /m);
    const sweep = await runCli(['eval', '--sweep', '0.3,high', dataset]);
    expect(sweep.code).toBe(2);
    expect(sweep.stderr).toMatch(/--sweep must be a number between 0 and 1, got 'high'/);
    const bad = await runCli(['eval', tmp]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/no images\/ folder/);
  });
});

// The fan-out, run as the bench runs it (scripts/bench/cloud-fanout.ts) on a shorter batch (64 pages): requests
// delayed 300 ms (a TCP proxy) on their way into the real lambda:serve, running the stand-in model, at 1 and 16
// in flight. The test checks what the client does (how many requests it keeps on their way), not how fast the
// machine is: the speed-up is the bench row's criterion (docs/benchmarks.md).
import { describe, expect, it } from 'vitest';
import {
  REQUIRED_SPEEDUP,
  cloudFanoutRows,
  fanoutSection,
  fanoutShortfall,
  type FanoutRow,
} from '../../scripts/bench/cloud-fanout.js';

describe('a cloud batch with requests in flight', () => {
  it(`keeps ${REQUIRED_SPEEDUP.inFlight} requests on their way when asked, and 1 when asked for 1`, async () => {
    const rows = await cloudFanoutRows({
      pages: 64,
      delayMs: 300,
      inFlight: [1, REQUIRED_SPEEDUP.inFlight],
      models: ['stand-in model'],
    });
    expect(rows.map((r) => [r.endpoint, r.inFlight])).toEqual([
      ['stand-in model', 1],
      ['stand-in model', 16],
    ]);
    expect(rows[0]!.seconds).toBeGreaterThanOrEqual((64 * 300) / 1000); // the delay is really there
    expect(rows.map((r) => r.peakInFlight)).toEqual([1, REQUIRED_SPEEDUP.inFlight]);
    // 64 pages at 16 in flight are 4 waves of the delay, at the least.
    expect(rows[1]!.seconds).toBeGreaterThanOrEqual((4 * 300) / 1000);
  }, 180_000);
});

describe('the bench row', () => {
  const row = (endpoint: FanoutRow['endpoint'], inFlight: number, seconds: number): FanoutRow => ({
    endpoint,
    inFlight,
    pages: 200,
    delayMs: 300,
    seconds,
    pagesPerSecond: 200 / seconds,
    speedup: 60 / seconds,
    serverMsPerPage: 12,
    cores: 2,
    peakInFlight: inFlight,
  });

  it('says when 16 in flight is under 8x faster than 1, on the stand-in model rows only', () => {
    const slow = [row('stand-in model', 1, 60), row('stand-in model', 16, 10), row('bundled model', 16, 5)];
    expect(fanoutShortfall(slow)).toBe('16 in flight is 6.0x faster than 1, under the 8x required');
    expect(fanoutSection(slow).join('\n')).toContain('**Criterion missed: 16 in flight is 6.0x');
    const fast = [row('stand-in model', 1, 60), row('stand-in model', 16, 4.5), row('bundled model', 16, 30)];
    expect(fanoutShortfall(fast)).toBeUndefined();
    const text = fanoutSection(fast).join('\n');
    expect(text).toContain('| stand-in model | 16 | 4.5 | 44.4 | 13.3x |');
    expect(text).toContain("on this machine's 2 cores");
    expect(text).toContain('(12 ms a page besides the delay, one request in flight)');
    expect(fanoutShortfall([row('bundled model', 1, 60), row('bundled model', 16, 4)])).toBe(
      'no stand-in model row at 16 in flight',
    );
  });
});

// The fan-out criterion, measured as the bench measures it (scripts/bench/cloud-fanout.ts) on a shorter
// batch (48 pages): requests delayed 300 ms on their way to lambda:serve's recorded answer, 1 and 16 in flight.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLambdaServe, type ServeProcess } from '../../scripts/lambda/serve-process.js';
import {
  REQUIRED_SPEEDUP,
  fanoutSection,
  fanoutShortfall,
  measureFanout,
  type FanoutRow,
} from '../../scripts/bench/cloud-fanout.js';

let server: ServeProcess;
beforeAll(async () => {
  server = await startLambdaServe();
});
afterAll(() => server?.stop());

describe('a cloud batch with requests in flight', () => {
  it(`is at least ${REQUIRED_SPEEDUP.atLeast}x faster with ${REQUIRED_SPEEDUP.inFlight} in flight than with 1`, async () => {
    const rows = await measureFanout({
      serverUrl: server.url,
      endpoint: 'replay',
      pages: 48,
      delayMs: 300,
      inFlight: [1, REQUIRED_SPEEDUP.inFlight],
    });
    expect(rows[0]!.seconds).toBeGreaterThanOrEqual((48 * 300) / 1000); // the delay is really there
    expect(fanoutShortfall(rows)).toBeUndefined();
  }, 120_000);
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
  });

  it('says when 16 in flight is under 8x faster than 1, on the replay rows', () => {
    const slow = [row('replay', 1, 60), row('replay', 16, 10), row('lambda:serve', 16, 5)];
    expect(fanoutShortfall(slow)).toBe('16 in flight is 6.0x faster than 1, under the 8x required');
    expect(fanoutSection(slow).join('\n')).toContain('**Criterion missed: 16 in flight is 6.0x');
    const fast = [row('replay', 1, 60), row('replay', 16, 4.5)];
    expect(fanoutShortfall(fast)).toBeUndefined();
    expect(fanoutSection(fast)).toContain('| replay | 16 | 4.5 | 44.4 | 13.3x |');
  });
});

// GET /events: the app's events (batch progress, documents, settings) to every open page as
// server-sent events, where the Electron shell sends them over its IPC.
import type { Context } from 'hono';
import { streamSSE, type SSEStreamingApi } from 'hono/streaming';
import type { EventMap, EventName } from '../../src-shared/contract.js';

export class EventHub {
  private readonly streams = new Set<SSEStreamingApi>();

  readonly emit = <E extends EventName>(name: E, payload: EventMap[E]): void => {
    // Not awaited: a page that stops reading must not hold up the others.
    for (const s of this.streams) void s.writeSSE({ event: name, data: JSON.stringify(payload) });
  };

  /** Holds the stream open until the page goes away (Hono aborts it) or the server closes. */
  readonly subscribe = (c: Context): Response =>
    streamSSE(c, async (stream) => {
      this.streams.add(stream);
      const gone = new Promise<void>((resolve) => stream.onAbort(resolve));
      await stream.write(': connected\n\n');
      await gone;
      this.streams.delete(stream);
    });

  /** Ends every open stream, so the server can close. */
  close(): void {
    for (const s of this.streams) s.abort();
  }
}

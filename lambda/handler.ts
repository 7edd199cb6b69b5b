// AWS Lambda entry (index.handler in the bundle). One handler answers Function URL events
// (payload v2) and API Gateway REST events (payload v1), base64 bodies included; binary
// responses (the annotated image) go back base64-encoded as both front doors expect.
// Events that are neither get the API's JSON 400 (adapter.ts).
import { lambdaHandler } from './adapter.js';
import { createApp } from './app.js';
import { createDetector } from './detector.js';

const detector = createDetector();
// Top-level await: the model loads during Lambda's init phase, not on the first request.
// A failure is not thrown here (that would fail init in a loop); the app reports it per request.
await detector.catch(() => undefined);

export const handler = lambdaHandler(createApp({ detector }));

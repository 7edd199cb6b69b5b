// Adapts the core's cloud client (src-core/cloud/client.ts) to the app: settings become client options,
// the API key comes from the secret store, and "Test connection" sends a real (tiny) page so that
// the endpoint, the authentication and the model are all checked at once.
import sharp from 'sharp';
import { CloudClient, InFlightLimit, cloudInFlight, type CloudOptions } from '../../src-core/cloud/client.js';
import { CheckboxError } from '../../src-shared/errors.js';
import type { CloudSettings } from '../../src-shared/settings-types.js';
import type { CloudPort } from './app-services.js';

export function cloudOptions(s: CloudSettings, apiKey: string | null): CloudOptions {
  const trimmed = s.endpoint.trim();
  if (s.mode !== 'invoke' && !trimmed) {
    throw new CheckboxError('invalid_argument', 'Set the cloud endpoint in Settings first.');
  }
  return {
    mode: s.mode,
    ...(s.mode === 'invoke'
      ? { functionName: s.functionName, ...(trimmed ? { endpoint: trimmed } : {}) }
      : { url: trimmed }),
    ...(s.region ? { region: s.region } : {}),
    ...(s.awsProfile ? { profile: s.awsProfile } : {}),
    auth: s.auth === 'aws-iam' ? 'AWS_IAM' : 'NONE',
    ...(s.auth === 'api-key' && apiKey ? { apiKey } : {}),
    ...(s.timeoutS !== undefined ? { timeoutMs: s.timeoutS * 1000 } : {}),
    ...(s.retries !== undefined ? { retries: s.retries } : {}),
  };
}

/** Requests in flight for these settings: 16, bounded by the deployment's reserved concurrency. */
export const inFlightFor = (s: CloudSettings): number =>
  cloudInFlight(s.reservedConcurrency !== undefined ? { reservedConcurrency: s.reservedConcurrency } : {});

/** One limit of requests in flight across the whole batch (every file's pages share it), sized by the settings. */
export function createCloudPort(): CloudPort {
  let inFlight = new InFlightLimit();
  // A new size takes a new limit; requests already in flight finish under the old one.
  const limitFor = (s: CloudSettings) =>
    inFlight.max === inFlightFor(s) ? inFlight : (inFlight = new InFlightLimit(inFlightFor(s)));
  return {
    inFlight: inFlightFor,
    async detect(req) {
      const client = new CloudClient({
        ...cloudOptions(req.settings, req.apiKey),
        inFlight: limitFor(req.settings),
      });
      return client.detectFile(req.file, {
        conf: req.conf,
        dpi: req.dpi,
        ...req.text,
        source: req.source,
        signal: req.signal,
        onRetry: (n) =>
          req.onRetry?.(
            `Retrying${n.page > 1 ? ` page ${n.page}` : ''} after ${n.reason} (attempt ${n.attempt} of ${n.attempts})`,
          ),
      });
    },
    async test(req) {
      const client = new CloudClient({ ...cloudOptions(req.settings, req.apiKey), retries: 0 });
      const probe = await sharp({ create: { width: 320, height: 320, channels: 3, background: '#ffffff' } })
        .png()
        .toBuffer();
      const started = performance.now();
      const result = await client.detect(probe, { source: 'connection-test.png', signal: req.signal });
      const latencyMs = Math.round(performance.now() - started);
      return {
        latencyMs,
        message: `Connected to ${client.target} — model ${result.model.name} ${result.model.version}`,
      };
    },
  };
}

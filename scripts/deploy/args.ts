// The deploy script's command line: flags, defaults (and why), and a clear error for bad input.
import { parseArgs } from 'node:util';
import type { Auth, DeployConfig } from './context.js';
import { RETENTION_DAYS } from './logs.js';

export const USAGE = `Usage: npm run deploy -- --region <region> [options]

  --region <r>                AWS region (default: $AWS_REGION)
  --profile <p>               AWS profile (default: the standard credential chain)
  --auth <AWS_IAM|API_KEY>    who may call (default AWS_IAM: SigV4-signed callers on both URLs;
                              API_KEY: x-api-key on the API Gateway URL, usage plan with quota)
  --public                    no auth at all (auth NONE): anyone with a URL can call, you pay
  --name <n>                  resource name prefix and ownership tag (default checkbox-detector)
  --stage <s>                 API Gateway stage (default prod)
  --memory <MB>               function memory (default 2048)
  --timeout <s>               function timeout (default 30)
  --reserved-concurrency <n>  instances the function may run at once, or "none" (default 20)
  --throttle-rate <n>         API Gateway requests/s, stage and usage plan (default 40)
  --throttle-burst <n>        API Gateway burst (default 40)
  --quota <n>                 requests per day per API key (API_KEY; default 20000)
  --log-retention <days>      CloudWatch Logs retention (default 14)
  --image-uri <uri>           use this image instead of building and pushing one
  --skip-push                 do not build or push; the bundle's image must already be in ECR
  --endpoint-url <url>        send every AWS call here (moto, LocalStack)
  --write-settings <file>     put the endpoint (and the API key) into the app's settings
  --destroy                   delete everything this script made
`;

/**
 * Memory and timeout, measured by scripts/bench/lambda-latency.ts on the bundle: peak RSS ~0.4 GB, so
 * memory buys CPU, not room. A warm 1100x1400 page costs ~0.47 s of CPU (two threads, 0.23 s wall),
 * a cold start ~0.9 s of CPU to the first answer. Lambda gives one full vCPU at 1769 MB; 2048 MB
 * (~1.2 vCPU) answers a warm page in about half a second. 30 s leaves room for a cold start and
 * the largest pages; API Gateway stops at 29 s anyway.
 */
const DEFAULT_MEMORY_MB = 2048;
const DEFAULT_TIMEOUT_S = 30;
/**
 * Cost caps. 20 instances cover the client's default fan-out of 16 requests in flight; at ~0.5 s a
 * warm page they serve ~40 pages/s, so the stage throttles at that rate and API Gateway answers
 * the excess with 429 instead of Lambda. 20,000 pages/day per key is ~20,000 GB-s (~$0.35/day).
 */
const DEFAULT_RESERVED_CONCURRENCY = 20;
const DEFAULT_THROTTLE_RATE = 40;
const DEFAULT_THROTTLE_BURST = 40;
const DEFAULT_QUOTA_PER_DAY = 20_000;
const DEFAULT_LOG_RETENTION_DAYS = 14;

/** An integer flag in [min, max], or a clear error naming the flag. */
function integer(flag: string, text: string, min: number, max: number): number {
  const n = Number(text);
  if (!/^\d+$/.test(text.trim()) || n < min || n > max)
    throw new Error(`--${flag} must be an integer ${min}..${max}, not "${text}"`);
  return n;
}

function authOf(auth: string | undefined, isPublic: boolean): Auth {
  const wanted = auth?.toUpperCase();
  if (isPublic) {
    if (wanted !== undefined && wanted !== 'NONE')
      throw new Error(`--public means auth NONE; it cannot be combined with --auth ${auth}`);
    return 'NONE';
  }
  if (wanted === 'NONE') throw new Error('a deploy without auth must be asked for with --public');
  if (wanted === undefined) return 'AWS_IAM';
  if (wanted !== 'AWS_IAM' && wanted !== 'API_KEY')
    throw new Error(`--auth must be AWS_IAM or API_KEY (or --public for none), not "${auth}"`);
  return wanted;
}

export function parse(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      region: { type: 'string' },
      profile: { type: 'string' },
      auth: { type: 'string' },
      public: { type: 'boolean', default: false },
      name: { type: 'string', default: 'checkbox-detector' },
      stage: { type: 'string', default: 'prod' },
      memory: { type: 'string', default: String(DEFAULT_MEMORY_MB) },
      timeout: { type: 'string', default: String(DEFAULT_TIMEOUT_S) },
      'reserved-concurrency': { type: 'string', default: String(DEFAULT_RESERVED_CONCURRENCY) },
      'throttle-rate': { type: 'string', default: String(DEFAULT_THROTTLE_RATE) },
      'throttle-burst': { type: 'string', default: String(DEFAULT_THROTTLE_BURST) },
      quota: { type: 'string', default: String(DEFAULT_QUOTA_PER_DAY) },
      'log-retention': { type: 'string', default: String(DEFAULT_LOG_RETENTION_DAYS) },
      'image-uri': { type: 'string' },
      'skip-push': { type: 'boolean', default: false },
      'endpoint-url': { type: 'string' },
      'write-settings': { type: 'string' },
      destroy: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  const region = values.region ?? process.env.AWS_REGION;
  if (!region) throw new Error('--region is required (or set AWS_REGION)');
  if (!/^[A-Za-z][A-Za-z0-9-]{0,40}$/.test(values.name))
    throw new Error('--name: letters, digits and dashes, at most 41');
  const logRetentionDays = Number(values['log-retention']);
  if (!RETENTION_DAYS.includes(logRetentionDays))
    throw new Error(`--log-retention must be one of ${RETENTION_DAYS.join(', ')} days`);
  const concurrency = values['reserved-concurrency'];
  const cfg: DeployConfig = {
    region,
    name: values.name,
    auth: authOf(values.auth, values.public),
    memoryMb: integer('memory', values.memory, 128, 10240),
    timeoutS: integer('timeout', values.timeout, 1, 900),
    stage: values.stage,
    reservedConcurrency:
      concurrency === 'none' ? null : integer('reserved-concurrency', concurrency, 1, 1000),
    throttle: {
      rateLimit: integer('throttle-rate', values['throttle-rate'], 1, 10_000),
      burstLimit: integer('throttle-burst', values['throttle-burst'], 1, 5_000),
    },
    quotaPerDay: integer('quota', values.quota, 1, 100_000_000),
    logRetentionDays,
    ...(values.profile ? { profile: values.profile } : {}),
    ...(values['endpoint-url'] ? { endpointUrl: values['endpoint-url'] } : {}),
  };
  return { cfg, values };
}

// What a deploy prints at the end: each URL with the auth it needs, the API key once, the cost
// caps, and for a public deploy a warning of what a leaked URL can cost.
import type { DeployedKey } from './apikey.js';
import type { Context } from './context.js';

/** us-east-1 list prices: Lambda x86 per GB-second, REST API per million requests. */
const LAMBDA_USD_PER_GB_S = 0.0000166667;
const REST_API_USD_PER_MILLION = 3.5;

/** The most a day of abuse can cost: every reserved instance busy, the stage at its throttle. */
function worstDayUsd(ctx: Context): { lambda: number | null; apiGateway: number } {
  const { reservedConcurrency, memoryMb, throttle } = ctx.cfg;
  const day = 86_400;
  return {
    lambda:
      reservedConcurrency === null
        ? null
        : reservedConcurrency * day * (memoryMb / 1024) * LAMBDA_USD_PER_GB_S,
    apiGateway: ((throttle.rateLimit * day) / 1e6) * REST_API_USD_PER_MILLION,
  };
}

function publicWarning(ctx: Context): string {
  const { lambda, apiGateway } = worstDayUsd(ctx);
  const usd = (n: number) => `$${Math.round(n)}`;
  const lambdaCost =
    lambda === null
      ? 'Lambda time without a cap (no reserved concurrency)'
      : `up to ${usd(lambda)}/day of Lambda time (${ctx.cfg.reservedConcurrency} instances x ${ctx.cfg.memoryMb} MB busy around the clock)`;
  return [
    'WARNING: --public: both URLs accept calls from anyone, with no credentials. Whoever learns a',
    'URL (a log, a screenshot, a shared settings file) can send pages, and you pay for every call:',
    `${lambdaCost},`,
    `plus up to ${usd(apiGateway)}/day of API Gateway requests (${ctx.cfg.throttle.rateLimit} requests/s), at us-east-1 list prices.`,
    'Redeploy without --public (default AWS_IAM, or --auth API_KEY) to make it private again.',
  ].join('\n');
}

export function printOutcome(
  ctx: Context,
  out: { functionUrl: string; restApiUrl: string; apiKey?: DeployedKey },
): void {
  const { cfg } = ctx;
  const urlAuth = {
    NONE: 'auth NONE: public, anyone with the URL can call it',
    AWS_IAM: 'auth AWS_IAM: SigV4-signed requests only',
    API_KEY: 'auth AWS_IAM: SigV4-signed requests only; the API key is for the API Gateway URL',
  }[cfg.auth];
  const apiAuth = {
    NONE: 'auth NONE: public, anyone with the URL can call it',
    AWS_IAM: 'auth AWS_IAM: SigV4-signed requests only',
    API_KEY: 'auth API_KEY: send the key as the x-api-key header',
  }[cfg.auth];
  console.log(`Function URL:    ${out.functionUrl}  (${urlAuth})`);
  console.log(`API Gateway URL: ${out.restApiUrl}  (${apiAuth})`);
  if (out.apiKey) {
    console.log(
      out.apiKey.created
        ? `API key:         ${out.apiKey.value}  (shown once: keep it, or use --write-settings)`
        : `API key:         ${out.apiKey.id}, made earlier; its value: aws apigateway get-api-key --api-key ${out.apiKey.id} --include-value`,
    );
  }
  console.log(`Function name:   ${ctx.names.function}`);
  console.log(
    `Limits:          reserved concurrency ${cfg.reservedConcurrency ?? 'none'}, ` +
      `${cfg.throttle.rateLimit} requests/s (burst ${cfg.throttle.burstLimit})` +
      `${cfg.auth === 'API_KEY' ? `, ${cfg.quotaPerDay} requests/day per key` : ''}, ` +
      `logs kept ${cfg.logRetentionDays} days`,
  );
  const base = out.functionUrl.replace(/\/$/, '');
  console.log(
    {
      NONE: `Try it:          curl -F "file=@page.jpg" -F "conf=0.2" ${base}/predict`,
      AWS_IAM: `Try it:          checkbox-detector detect --cloud ${out.functionUrl} --auth AWS_IAM${cfg.reservedConcurrency !== null ? ` --reserved-concurrency ${cfg.reservedConcurrency}` : ''} page.jpg`,
      API_KEY: `Try it:          curl -H "x-api-key: <key>" -F "file=@page.jpg" ${out.restApiUrl}/predict`,
    }[cfg.auth],
  );
  if (cfg.auth === 'NONE') console.error(`\n${publicWarning(ctx)}`);
}

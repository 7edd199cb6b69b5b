// --auth API_KEY: an API key bound to a usage plan on our stage. The plan throttles (the same
// rate and burst as the stage) and caps requests per day, so a leaked key costs at most that.
// With any other auth, a plan and key left by an earlier API_KEY deploy are removed.
import {
  CreateApiKeyCommand,
  CreateUsagePlanCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  DeleteUsagePlanCommand,
  GetApiKeysCommand,
  GetUsagePlanKeysCommand,
  GetUsagePlansCommand,
  UpdateUsagePlanCommand,
  type ApiKey,
  type PatchOperation,
  type UsagePlan,
} from '@aws-sdk/client-api-gateway';
import { type Context, OWNER_TAG } from './context.js';

async function findUsagePlan(ctx: Context): Promise<UsagePlan | undefined> {
  let position: string | undefined;
  do {
    const page = await ctx.aws.apigw.send(new GetUsagePlansCommand({ limit: 500, position }));
    const plan = page.items?.find((p) => p.name === ctx.names.usagePlan);
    if (plan) return plan;
    position = page.position;
  } while (position);
  return undefined;
}

async function findApiKey(ctx: Context): Promise<ApiKey | undefined> {
  const out = await ctx.aws.apigw.send(
    new GetApiKeysCommand({ nameQuery: ctx.names.apiKey, includeValues: true, limit: 500 }),
  );
  return out.items?.find((k) => k.name === ctx.names.apiKey);
}

function assertOwned(ctx: Context, what: string, tags: Record<string, string> | undefined): void {
  if (tags?.[OWNER_TAG] !== ctx.cfg.name)
    throw new Error(`${what} exists but is not tagged ${OWNER_TAG}=${ctx.cfg.name}; choose another --name`);
}

/** The patch that makes an existing plan match: our stage bound, our throttle and quota. */
function planPatch(ctx: Context, plan: UsagePlan, restApiId: string): PatchOperation[] {
  const { rateLimit, burstLimit } = ctx.cfg.throttle;
  const ops: PatchOperation[] = [];
  if (!plan.apiStages?.some((s) => s.apiId === restApiId && s.stage === ctx.cfg.stage))
    ops.push({ op: 'add', path: '/apiStages', value: `${restApiId}:${ctx.cfg.stage}` });
  if (Number(plan.throttle?.rateLimit) !== rateLimit)
    ops.push({ op: 'replace', path: '/throttle/rateLimit', value: String(rateLimit) });
  if (Number(plan.throttle?.burstLimit) !== burstLimit)
    ops.push({ op: 'replace', path: '/throttle/burstLimit', value: String(burstLimit) });
  if (Number(plan.quota?.limit) !== ctx.cfg.quotaPerDay || plan.quota?.period !== 'DAY') {
    ops.push({ op: 'replace', path: '/quota/limit', value: String(ctx.cfg.quotaPerDay) });
    ops.push({ op: 'replace', path: '/quota/period', value: 'DAY' });
  }
  return ops;
}

async function ensureUsagePlan(ctx: Context, restApiId: string): Promise<string> {
  const what = `usage plan ${ctx.names.usagePlan}`;
  const { rateLimit, burstLimit } = ctx.cfg.throttle;
  const detail = `${rateLimit} requests/s, burst ${burstLimit}, ${ctx.cfg.quotaPerDay} requests/day`;
  const plan = await findUsagePlan(ctx);
  if (!plan) {
    const made = await ctx.aws.apigw.send(
      new CreateUsagePlanCommand({
        name: ctx.names.usagePlan,
        description: 'Checkbox Detector: throttling and daily quota of the API key',
        apiStages: [{ apiId: restApiId, stage: ctx.cfg.stage }],
        throttle: { rateLimit, burstLimit },
        quota: { limit: ctx.cfg.quotaPerDay, period: 'DAY' },
        tags: ctx.tags,
      }),
    );
    ctx.log.report('created', what, detail);
    return made.id!;
  }
  assertOwned(ctx, what, plan.tags);
  const patchOperations = planPatch(ctx, plan, restApiId);
  if (patchOperations.length) {
    await ctx.aws.apigw.send(new UpdateUsagePlanCommand({ usagePlanId: plan.id, patchOperations }));
    ctx.log.report('updated', what, detail);
  } else ctx.log.report('unchanged', what, detail);
  return plan.id!;
}

export interface DeployedKey {
  id: string;
  value: string;
  /** Made by this run: then its value is shown, once. */
  created: boolean;
}

export async function ensureApiKey(ctx: Context, restApiId: string): Promise<DeployedKey> {
  const usagePlanId = await ensureUsagePlan(ctx, restApiId);
  const what = `api key ${ctx.names.apiKey}`;
  let key = await findApiKey(ctx);
  const created = !key;
  if (!key) {
    key = await ctx.aws.apigw.send(
      new CreateApiKeyCommand({
        name: ctx.names.apiKey,
        description: 'Checkbox Detector client key',
        enabled: true,
        tags: ctx.tags,
      }),
    );
    ctx.log.report('created', what, key.id);
  } else {
    assertOwned(ctx, what, key.tags);
    ctx.log.report('unchanged', what, key.id);
  }

  const bound = await ctx.aws.apigw.send(new GetUsagePlanKeysCommand({ usagePlanId, limit: 500 }));
  if (bound.items?.some((k) => k.id === key.id))
    ctx.log.report('unchanged', `${what} in ${ctx.names.usagePlan}`);
  else {
    await ctx.aws.apigw.send(
      new CreateUsagePlanKeyCommand({ usagePlanId, keyId: key.id, keyType: 'API_KEY' }),
    );
    ctx.log.report('created', `${what} in ${ctx.names.usagePlan}`);
  }
  return { id: key.id!, value: key.value!, created };
}

/** Deletes what we own; `reason`, when a deploy removes it, also keeps absence unmentioned. */
async function removeOwned(
  ctx: Context,
  what: string,
  found: { tags?: Record<string, string> } | undefined,
  remove: () => Promise<unknown>,
  reason?: string,
): Promise<void> {
  if (!found) return reason ? undefined : ctx.log.report('absent', what);
  if (found.tags?.[OWNER_TAG] !== ctx.cfg.name)
    return ctx.log.report('skipped', what, `not tagged ${OWNER_TAG}=${ctx.cfg.name}; left alone`);
  await remove();
  ctx.log.report('deleted', what, reason);
}

/** Deletes our plan (unbinding its stages first, as AWS requires) and our key. */
export async function destroyApiKey(ctx: Context, reason?: string): Promise<void> {
  const plan = await findUsagePlan(ctx);
  await removeOwned(
    ctx,
    `usage plan ${ctx.names.usagePlan}`,
    plan,
    async () => {
      const unbind = (plan!.apiStages ?? []).map((s): PatchOperation => ({
        op: 'remove',
        path: '/apiStages',
        value: `${s.apiId}:${s.stage}`,
      }));
      if (unbind.length)
        await ctx.aws.apigw.send(
          new UpdateUsagePlanCommand({ usagePlanId: plan!.id, patchOperations: unbind }),
        );
      await ctx.aws.apigw.send(new DeleteUsagePlanCommand({ usagePlanId: plan!.id }));
    },
    reason,
  );
  const key = await findApiKey(ctx);
  await removeOwned(
    ctx,
    `api key ${ctx.names.apiKey}`,
    key,
    () => ctx.aws.apigw.send(new DeleteApiKeyCommand({ apiKey: key!.id })),
    reason,
  );
}

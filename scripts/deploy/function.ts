// The Lambda function (container image) with its reserved concurrency, its Function URL with CORS,
// and the resource-policy statements that let the URL and API Gateway invoke it.
import {
  AddPermissionCommand,
  CreateFunctionCommand,
  CreateFunctionUrlConfigCommand,
  DeleteFunctionCommand,
  DeleteFunctionConcurrencyCommand,
  GetFunctionCommand,
  GetFunctionConcurrencyCommand,
  GetFunctionUrlConfigCommand,
  GetPolicyCommand,
  PutFunctionConcurrencyCommand,
  RemovePermissionCommand,
  UpdateFunctionCodeCommand,
  UpdateFunctionConfigurationCommand,
  UpdateFunctionUrlConfigCommand,
  waitUntilFunctionActiveV2,
  waitUntilFunctionUpdatedV2,
  type AddPermissionRequest,
  type Cors,
  type GetFunctionResponse,
} from '@aws-sdk/client-lambda';
import { type Context, OWNER_TAG, functionUrlAuth, isAwsError, sleep } from './context.js';
import { CORS } from './cors.js';

const WAIT = { maxWaitTime: 300, minDelay: 1, maxDelay: 5 };

async function findFunction(ctx: Context): Promise<GetFunctionResponse | undefined> {
  try {
    return await ctx.aws.lambda.send(new GetFunctionCommand({ FunctionName: ctx.names.function }));
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return undefined;
    throw err;
  }
}

const owned = (ctx: Context, tags: Record<string, string> | undefined) => tags?.[OWNER_TAG] === ctx.cfg.name;

export async function ensureFunction(
  ctx: Context,
  opts: { imageUri: string; roleArn: string },
): Promise<string> {
  const what = `lambda function ${ctx.names.function}`;
  const { memoryMb, timeoutS } = ctx.cfg;
  const existing = await findFunction(ctx);
  const client = { client: ctx.aws.lambda, ...WAIT };

  if (!existing) {
    const create = new CreateFunctionCommand({
      FunctionName: ctx.names.function,
      PackageType: 'Image',
      Code: { ImageUri: opts.imageUri },
      Role: opts.roleArn,
      MemorySize: memoryMb,
      Timeout: timeoutS,
      Architectures: ['x86_64'],
      Description: 'Checkbox Detector: finds checkboxes on scanned forms',
      Tags: ctx.tags,
    });
    // A role made seconds ago may not be assumable by Lambda yet (IAM is eventually consistent).
    for (let attempt = 1; ; attempt++) {
      try {
        await ctx.aws.lambda.send(create);
        break;
      } catch (err) {
        const retry =
          isAwsError(err, 'InvalidParameterValueException') && /role/i.test((err as Error).message);
        if (!retry || attempt >= 12) throw err;
        await sleep(5000);
      }
    }
    await waitUntilFunctionActiveV2(client, { FunctionName: ctx.names.function });
    ctx.log.report('created', what, `${memoryMb} MB, ${timeoutS} s`);
  } else {
    if (!owned(ctx, existing.Tags)) {
      throw new Error(`${what} exists but is not tagged ${OWNER_TAG}=${ctx.cfg.name}; choose another --name`);
    }
    const conf = existing.Configuration!;
    if (conf.PackageType !== 'Image')
      throw new Error(`${what} exists as a ${conf.PackageType} function; --destroy it first`);
    const changed = [
      conf.MemorySize !== memoryMb && 'memory',
      conf.Timeout !== timeoutS && 'timeout',
      conf.Role !== opts.roleArn && 'role',
    ].filter(Boolean);
    if (changed.length) {
      await ctx.aws.lambda.send(
        new UpdateFunctionConfigurationCommand({
          FunctionName: ctx.names.function,
          MemorySize: memoryMb,
          Timeout: timeoutS,
          Role: opts.roleArn,
        }),
      );
      await waitUntilFunctionUpdatedV2(client, { FunctionName: ctx.names.function });
      ctx.log.report('updated', `${what} configuration`, changed.join(', '));
    } else ctx.log.report('unchanged', `${what} configuration`);

    if (existing.Code?.ImageUri !== opts.imageUri) {
      await ctx.aws.lambda.send(
        new UpdateFunctionCodeCommand({ FunctionName: ctx.names.function, ImageUri: opts.imageUri }),
      );
      await waitUntilFunctionUpdatedV2(client, { FunctionName: ctx.names.function });
      ctx.log.report('updated', `${what} image`, opts.imageUri);
    } else ctx.log.report('unchanged', `${what} image`);
  }
  return (await findFunction(ctx))!.Configuration!.FunctionArn!;
}

export async function ensureFunctionUrl(ctx: Context): Promise<string> {
  const authType = functionUrlAuth(ctx.cfg.auth);
  const what = `function url (${authType})`;
  const base = { FunctionName: ctx.names.function, AuthType: authType, Cors: CORS };
  try {
    const current = await ctx.aws.lambda.send(
      new GetFunctionUrlConfigCommand({ FunctionName: ctx.names.function }),
    );
    if (
      current.AuthType === authType &&
      JSON.stringify(normalise(current.Cors)) === JSON.stringify(normalise(CORS))
    ) {
      ctx.log.report('unchanged', what);
      return current.FunctionUrl!;
    }
    const out = await ctx.aws.lambda.send(new UpdateFunctionUrlConfigCommand(base));
    ctx.log.report('updated', what);
    return out.FunctionUrl!;
  } catch (err) {
    if (!isAwsError(err, 'ResourceNotFoundException')) throw err;
  }
  const out = await ctx.aws.lambda.send(new CreateFunctionUrlConfigCommand(base));
  ctx.log.report('created', what);
  return out.FunctionUrl!;
}

/**
 * Reserved concurrency caps what a flood of requests can cost (at most this many instances bill at
 * once) and keeps that many for us out of the account's pool.
 */
export async function ensureConcurrency(ctx: Context): Promise<void> {
  const what = `lambda function ${ctx.names.function} reserved concurrency`;
  const wanted = ctx.cfg.reservedConcurrency;
  const FunctionName = ctx.names.function;
  const current = (await ctx.aws.lambda.send(new GetFunctionConcurrencyCommand({ FunctionName })))
    .ReservedConcurrentExecutions;
  if ((current ?? null) === wanted) return ctx.log.report('unchanged', what, String(wanted ?? 'none'));
  if (wanted === null) {
    await ctx.aws.lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName }));
    return ctx.log.report('deleted', what, `was ${current}`);
  }
  try {
    await ctx.aws.lambda.send(
      new PutFunctionConcurrencyCommand({ FunctionName, ReservedConcurrentExecutions: wanted }),
    );
  } catch (err) {
    // New accounts may have a concurrency quota of 10, of which none can be reserved.
    if (!isAwsError(err, 'InvalidParameterValueException')) throw err;
    throw new Error(
      `${(err as Error).message} (--reserved-concurrency ${wanted}: ask for a lower number, or "none")`,
    );
  }
  ctx.log.report(current == null ? 'created' : 'updated', what, String(wanted));
}

/** CORS as comparable data: lists sorted, header names lower-case, absent lists empty. */
function normalise(cors: Cors | undefined) {
  const list = (l: string[] | undefined) => [...(l ?? [])].map((s) => s.toLowerCase()).sort();
  return {
    AllowCredentials: cors?.AllowCredentials ?? false,
    AllowHeaders: list(cors?.AllowHeaders),
    AllowMethods: list(cors?.AllowMethods),
    AllowOrigins: list(cors?.AllowOrigins),
    ExposeHeaders: list(cors?.ExposeHeaders),
    MaxAge: cors?.MaxAge ?? 0,
  };
}

interface Statement {
  Sid?: string;
}

async function policyStatements(ctx: Context): Promise<Statement[]> {
  try {
    const out = await ctx.aws.lambda.send(new GetPolicyCommand({ FunctionName: ctx.names.function }));
    return (JSON.parse(out.Policy ?? '{}') as { Statement?: Statement[] }).Statement ?? [];
  } catch (err) {
    if (isAwsError(err, 'ResourceNotFoundException')) return [];
    throw err;
  }
}

export type Permission = Omit<AddPermissionRequest, 'FunctionName'> & { StatementId: string };

/** Make the function's resource policy hold exactly these of our statements (others are left alone). */
export async function ensurePermissions(ctx: Context, wanted: Permission[], ours: string[]): Promise<void> {
  const statements = await policyStatements(ctx);
  for (const perm of wanted) {
    const what = `permission ${perm.StatementId}`;
    const current = statements.find((s) => s.Sid === perm.StatementId);
    const text = JSON.stringify(current ?? {});
    const same = current && text.includes(perm.Action!) && (!perm.SourceArn || text.includes(perm.SourceArn));
    if (same) {
      ctx.log.report('unchanged', what);
      continue;
    }
    if (current) {
      await ctx.aws.lambda.send(
        new RemovePermissionCommand({ FunctionName: ctx.names.function, StatementId: perm.StatementId }),
      );
    }
    await ctx.aws.lambda.send(new AddPermissionCommand({ FunctionName: ctx.names.function, ...perm }));
    ctx.log.report(current ? 'updated' : 'created', what);
  }
  for (const sid of ours) {
    if (wanted.some((p) => p.StatementId === sid) || !statements.some((s) => s.Sid === sid)) continue;
    await ctx.aws.lambda.send(
      new RemovePermissionCommand({ FunctionName: ctx.names.function, StatementId: sid }),
    );
    ctx.log.report('deleted', `permission ${sid}`, 'not wanted with this auth type');
  }
}

export async function destroyFunction(ctx: Context): Promise<void> {
  const what = `lambda function ${ctx.names.function}`;
  const existing = await findFunction(ctx);
  if (!existing) return ctx.log.report('absent', what);
  if (!owned(ctx, existing.Tags))
    return ctx.log.report('skipped', what, `not tagged ${OWNER_TAG}=${ctx.cfg.name}; left alone`);
  // Deleting the function deletes its URL config and resource policy with it.
  await ctx.aws.lambda.send(new DeleteFunctionCommand({ FunctionName: ctx.names.function }));
  ctx.log.report('deleted', what, 'with its function url and permissions');
}

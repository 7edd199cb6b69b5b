// The function's log group, made before the function so that Lambda writes into a group with a
// retention (Lambda's own would keep logs forever, and cost storage forever) and our tag.
import {
  CreateLogGroupCommand,
  DeleteLogGroupCommand,
  DescribeLogGroupsCommand,
  ListTagsForResourceCommand,
  PutRetentionPolicyCommand,
  TagResourceCommand,
  type LogGroup,
} from '@aws-sdk/client-cloudwatch-logs';
import { type Context, OWNER_TAG } from './context.js';

/** The retention periods CloudWatch Logs accepts, in days. */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
];

async function findLogGroup(ctx: Context): Promise<LogGroup | undefined> {
  const out = await ctx.aws.logs.send(
    new DescribeLogGroupsCommand({ logGroupNamePrefix: ctx.names.logGroup }),
  );
  return out.logGroups?.find((g) => g.logGroupName === ctx.names.logGroup);
}

const groupArn = (ctx: Context) =>
  `arn:aws:logs:${ctx.cfg.region}:${ctx.accountId}:log-group:${ctx.names.logGroup}`;

async function ownedByUs(ctx: Context): Promise<boolean> {
  const out = await ctx.aws.logs.send(new ListTagsForResourceCommand({ resourceArn: groupArn(ctx) }));
  return out.tags?.[OWNER_TAG] === ctx.cfg.name;
}

export async function ensureLogGroup(ctx: Context): Promise<void> {
  const what = `log group ${ctx.names.logGroup}`;
  const days = ctx.cfg.logRetentionDays;
  const logGroupName = ctx.names.logGroup;
  const group = await findLogGroup(ctx);
  if (!group) {
    await ctx.aws.logs.send(new CreateLogGroupCommand({ logGroupName, tags: ctx.tags }));
  } else if (!(await ownedByUs(ctx))) {
    // Lambda made it on a first invocation before this script managed it: it is our function's.
    await ctx.aws.logs.send(new TagResourceCommand({ resourceArn: groupArn(ctx), tags: ctx.tags }));
    ctx.log.report('updated', what, "tagged: it holds our function's logs");
  }
  if (group?.retentionInDays === days) return ctx.log.report('unchanged', what, `${days} days`);
  await ctx.aws.logs.send(new PutRetentionPolicyCommand({ logGroupName, retentionInDays: days }));
  ctx.log.report(group ? 'updated' : 'created', what, `retention ${days} days`);
}

export async function destroyLogGroup(ctx: Context): Promise<void> {
  const what = `log group ${ctx.names.logGroup}`;
  if (!(await findLogGroup(ctx))) return ctx.log.report('absent', what);
  if (!(await ownedByUs(ctx)))
    return ctx.log.report('skipped', what, `not tagged ${OWNER_TAG}=${ctx.cfg.name}; left alone`);
  await ctx.aws.logs.send(new DeleteLogGroupCommand({ logGroupName: ctx.names.logGroup }));
  ctx.log.report('deleted', what);
}

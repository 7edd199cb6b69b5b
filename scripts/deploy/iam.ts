// The function's execution role: assumable by Lambda, allowed to write its logs, nothing more.
import {
  AttachRolePolicyCommand,
  CreateRoleCommand,
  DeleteRoleCommand,
  DetachRolePolicyCommand,
  GetRoleCommand,
  ListAttachedRolePoliciesCommand,
  ListRoleTagsCommand,
  UpdateAssumeRolePolicyCommand,
  type Role,
} from '@aws-sdk/client-iam';
import { type Context, OWNER_TAG, isAwsError } from './context.js';

const TRUST_POLICY = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
};
const LOGS_POLICY_ARN = 'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole';

async function findRole(ctx: Context): Promise<Role | undefined> {
  try {
    return (await ctx.aws.iam.send(new GetRoleCommand({ RoleName: ctx.names.role }))).Role;
  } catch (err) {
    if (isAwsError(err, 'NoSuchEntityException', 'NoSuchEntity')) return undefined;
    throw err;
  }
}

/** IAM returns policy documents URL-encoded. */
const samePolicy = (doc: string | undefined, wanted: object) =>
  doc !== undefined && JSON.stringify(JSON.parse(decodeURIComponent(doc))) === JSON.stringify(wanted);

export async function ensureRole(ctx: Context): Promise<{ arn: string; created: boolean }> {
  const what = `iam role ${ctx.names.role}`;
  let role = await findRole(ctx);
  const created = !role;
  if (!role) {
    role = (
      await ctx.aws.iam.send(
        new CreateRoleCommand({
          RoleName: ctx.names.role,
          AssumeRolePolicyDocument: JSON.stringify(TRUST_POLICY),
          Description: 'Execution role of the Checkbox Detector Lambda',
          Tags: Object.entries(ctx.tags).map(([Key, Value]) => ({ Key, Value })),
        }),
      )
    ).Role!;
    ctx.log.report('created', what);
  } else if (!samePolicy(role.AssumeRolePolicyDocument, TRUST_POLICY)) {
    await ctx.aws.iam.send(
      new UpdateAssumeRolePolicyCommand({
        RoleName: ctx.names.role,
        PolicyDocument: JSON.stringify(TRUST_POLICY),
      }),
    );
    ctx.log.report('updated', what, 'trust policy');
  } else ctx.log.report('unchanged', what);

  const attached = await ctx.aws.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: ctx.names.role }));
  if (attached.AttachedPolicies?.some((p) => p.PolicyArn === LOGS_POLICY_ARN)) {
    ctx.log.report('unchanged', `${what} policy AWSLambdaBasicExecutionRole`);
  } else {
    await ctx.aws.iam.send(
      new AttachRolePolicyCommand({ RoleName: ctx.names.role, PolicyArn: LOGS_POLICY_ARN }),
    );
    ctx.log.report('created', `${what} policy AWSLambdaBasicExecutionRole`);
  }
  return { arn: role.Arn!, created };
}

export async function destroyRole(ctx: Context): Promise<void> {
  const what = `iam role ${ctx.names.role}`;
  if (!(await findRole(ctx))) return ctx.log.report('absent', what);
  const tags = await ctx.aws.iam.send(new ListRoleTagsCommand({ RoleName: ctx.names.role }));
  if (!tags.Tags?.some((t) => t.Key === OWNER_TAG && t.Value === ctx.cfg.name)) {
    return ctx.log.report('skipped', what, `not tagged ${OWNER_TAG}=${ctx.cfg.name}; left alone`);
  }
  const attached = await ctx.aws.iam.send(new ListAttachedRolePoliciesCommand({ RoleName: ctx.names.role }));
  for (const p of attached.AttachedPolicies ?? []) {
    await ctx.aws.iam.send(new DetachRolePolicyCommand({ RoleName: ctx.names.role, PolicyArn: p.PolicyArn }));
  }
  await ctx.aws.iam.send(new DeleteRoleCommand({ RoleName: ctx.names.role }));
  ctx.log.report('deleted', what);
}

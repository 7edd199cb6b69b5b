// The ECR repository and the image in it: built from the Lambda bundle and tagged by the bundle's
// content hash, so an unchanged bundle is neither rebuilt nor pushed again.
import {
  CreateRepositoryCommand,
  DeleteRepositoryCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  GetLifecyclePolicyCommand,
  ListTagsForResourceCommand,
  PutLifecyclePolicyCommand,
  type Repository,
} from '@aws-sdk/client-ecr';
import { type Context, OWNER_TAG, isAwsError } from './context.js';
import { bundleTag, dockerBuildAndPush } from './image.js';

const LIFECYCLE_POLICY = {
  rules: [
    {
      rulePriority: 1,
      description: 'Keep the 10 most recent images',
      selection: { tagStatus: 'any', countType: 'imageCountMoreThan', countNumber: 10 },
      action: { type: 'expire' },
    },
  ],
};

async function findRepository(ctx: Context): Promise<Repository | undefined> {
  try {
    const out = await ctx.aws.ecr.send(
      new DescribeRepositoriesCommand({ repositoryNames: [ctx.names.repository] }),
    );
    return out.repositories?.[0];
  } catch (err) {
    if (isAwsError(err, 'RepositoryNotFoundException')) return undefined;
    throw err;
  }
}

export async function ensureRepository(ctx: Context): Promise<string> {
  const what = `ecr repository ${ctx.names.repository}`;
  let repo = await findRepository(ctx);
  if (repo) ctx.log.report('unchanged', what);
  else {
    const out = await ctx.aws.ecr.send(
      new CreateRepositoryCommand({
        repositoryName: ctx.names.repository,
        imageScanningConfiguration: { scanOnPush: true },
        tags: Object.entries(ctx.tags).map(([Key, Value]) => ({ Key, Value })),
      }),
    );
    repo = out.repository!;
    ctx.log.report('created', what);
  }

  const current = await ctx.aws.ecr
    .send(new GetLifecyclePolicyCommand({ repositoryName: ctx.names.repository }))
    .then((o) => (o.lifecyclePolicyText ? (JSON.parse(o.lifecyclePolicyText) as unknown) : undefined))
    .catch((err: unknown) => {
      if (isAwsError(err, 'LifecyclePolicyNotFoundException')) return undefined;
      throw err;
    });
  if (JSON.stringify(current) === JSON.stringify(LIFECYCLE_POLICY))
    ctx.log.report('unchanged', `${what} lifecycle policy`);
  else {
    await ctx.aws.ecr.send(
      new PutLifecyclePolicyCommand({
        repositoryName: ctx.names.repository,
        lifecyclePolicyText: JSON.stringify(LIFECYCLE_POLICY),
      }),
    );
    ctx.log.report(current ? 'updated' : 'created', `${what} lifecycle policy`);
  }
  return repo.repositoryUri!;
}

/** The image the function runs: given (--image-uri), already in ECR, or built and pushed now. */
export async function ensureImage(
  ctx: Context,
  repositoryUri: string,
  opts: { imageUri?: string; skipPush: boolean; bundleDir: string; repoRoot: string },
): Promise<string> {
  if (opts.imageUri) {
    ctx.log.report('skipped', 'image build and push', `using --image-uri ${opts.imageUri}`);
    return opts.imageUri;
  }
  const tag = bundleTag(opts.bundleDir);
  const imageUri = `${repositoryUri}:${tag}`;
  const exists = await ctx.aws.ecr
    .send(new DescribeImagesCommand({ repositoryName: ctx.names.repository, imageIds: [{ imageTag: tag }] }))
    .then((o) => (o.imageDetails?.length ?? 0) > 0)
    .catch((err: unknown) => {
      if (isAwsError(err, 'ImageNotFoundException')) return false;
      throw err;
    });
  if (exists) ctx.log.report('unchanged', `image ${imageUri}`);
  else if (opts.skipPush) ctx.log.report('skipped', `image ${imageUri}`, '--skip-push: push it yourself');
  else {
    const auth = await ctx.aws.ecr.send(new GetAuthorizationTokenCommand({}));
    const data = auth.authorizationData?.[0];
    if (!data?.authorizationToken || !data.proxyEndpoint)
      throw new Error('ECR returned no authorization token');
    const password = Buffer.from(data.authorizationToken, 'base64').toString('utf8').replace(/^AWS:/, '');
    dockerBuildAndPush({ imageUri, registry: data.proxyEndpoint, password, repoRoot: opts.repoRoot });
    ctx.log.report('created', `image ${imageUri}`);
  }
  return imageUri;
}

export async function destroyRepository(ctx: Context): Promise<void> {
  const what = `ecr repository ${ctx.names.repository}`;
  const repo = await findRepository(ctx);
  if (!repo) return ctx.log.report('absent', what);
  const tags = await ctx.aws.ecr.send(new ListTagsForResourceCommand({ resourceArn: repo.repositoryArn }));
  if (!tags.tags?.some((t) => t.Key === OWNER_TAG && t.Value === ctx.cfg.name)) {
    return ctx.log.report('skipped', what, `not tagged ${OWNER_TAG}=${ctx.cfg.name}; left alone`);
  }
  await ctx.aws.ecr.send(new DeleteRepositoryCommand({ repositoryName: ctx.names.repository, force: true }));
  ctx.log.report('deleted', what, 'with its images');
}

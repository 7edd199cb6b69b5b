// What every deploy step shares: the AWS clients (one region, one credential source, an optional
// endpoint for tests), the resource names, the ownership tag, and the created/updated/unchanged log.
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { ECRClient } from '@aws-sdk/client-ecr';
import { IAMClient } from '@aws-sdk/client-iam';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { STSClient } from '@aws-sdk/client-sts';
import { fromNodeProviderChain } from '@aws-sdk/credential-providers';

export interface DeployConfig {
  region: string;
  profile?: string;
  endpointUrl?: string;
  /** Prefix of every resource name; also the value of the ownership tag. */
  name: string;
  auth: Auth;
  memoryMb: number;
  timeoutS: number;
  stage: string;
  /** Concurrent executions kept for (and allowed to) the function; null leaves it unreserved. */
  reservedConcurrency: number | null;
  /** Stage-wide throttling, also the usage plan's with API_KEY: steady requests/s and burst. */
  throttle: { rateLimit: number; burstLimit: number };
  /** Requests per day per API key (API_KEY only). */
  quotaPerDay: number;
  logRetentionDays: number;
}

/**
 * Who may call: NONE is public (only with --public); AWS_IAM needs SigV4 on both front doors;
 * API_KEY needs `x-api-key` on the REST API and leaves the Function URL to AWS_IAM, since a
 * Function URL knows no API keys.
 */
export type Auth = 'NONE' | 'AWS_IAM' | 'API_KEY';

export const functionUrlAuth = (auth: Auth): 'NONE' | 'AWS_IAM' => (auth === 'NONE' ? 'NONE' : 'AWS_IAM');

/** Every resource we make carries this tag; --destroy deletes only what carries it. */
export const OWNER_TAG = 'checkbox-detector:stack';

export type Outcome = 'created' | 'updated' | 'unchanged' | 'deleted' | 'absent' | 'skipped';

export class Reporter {
  readonly counts: Record<Outcome, number> = {
    created: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    absent: 0,
    skipped: 0,
  };
  constructor(private readonly write: (line: string) => void = (l) => console.log(l)) {}

  report(outcome: Outcome, what: string, detail = ''): void {
    this.counts[outcome]++;
    this.write(`${outcome.padEnd(9)} ${what}${detail ? `  (${detail})` : ''}`);
  }

  summary(): string {
    return Object.entries(this.counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${n} ${k}`)
      .join(', ');
  }
}

export interface Clients {
  ecr: ECRClient;
  iam: IAMClient;
  lambda: LambdaClient;
  apigw: APIGatewayClient;
  logs: CloudWatchLogsClient;
  sts: STSClient;
}

export function makeClients(cfg: DeployConfig): Clients {
  const common = {
    region: cfg.region,
    credentials: fromNodeProviderChain(cfg.profile ? { profile: cfg.profile } : {}),
    ...(cfg.endpointUrl ? { endpoint: cfg.endpointUrl } : {}),
    maxAttempts: 5,
  };
  return {
    ecr: new ECRClient(common),
    iam: new IAMClient(common),
    lambda: new LambdaClient(common),
    apigw: new APIGatewayClient(common),
    logs: new CloudWatchLogsClient(common),
    sts: new STSClient(common),
  };
}

export interface Context {
  cfg: DeployConfig;
  aws: Clients;
  log: Reporter;
  accountId: string;
  names: {
    repository: string;
    role: string;
    function: string;
    restApi: string;
    logGroup: string;
    usagePlan: string;
    apiKey: string;
  };
  tags: Record<string, string>;
}

export function resourceNames(name: string): Context['names'] {
  return {
    repository: name,
    role: `${name}-lambda-role`,
    function: name,
    restApi: name,
    // The group Lambda writes to; made by us first so that it has a retention and our tag.
    logGroup: `/aws/lambda/${name}`,
    usagePlan: `${name}-plan`,
    apiKey: `${name}-key`,
  };
}

/** AWS SDK errors are matched by name; the SDK's types do not narrow them. */
export function isAwsError(err: unknown, ...names: string[]): boolean {
  return err instanceof Error && names.includes(err.name);
}

/** Get-or-undefined: a lookup whose "not found" error means absent. */
export async function orAbsent<T>(p: Promise<T>, ...notFound: string[]): Promise<T | undefined> {
  try {
    return await p;
  } catch (err) {
    if (isAwsError(err, ...(notFound.length ? notFound : ['NotFoundException']))) return undefined;
    throw err;
  }
}

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

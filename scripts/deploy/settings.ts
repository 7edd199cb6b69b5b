// --write-settings: put the deployed endpoint into the app's settings file (the `cloud` section of
// src-main's settings schema), keeping every other setting. Written to a temp file, then renamed.
import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';

export interface DeployedCloud {
  functionUrl: string;
  functionName: string;
  region: string;
  auth: 'NONE' | 'AWS_IAM';
  profile?: string;
}

export function writeSettings(file: string, deployed: DeployedCloud): void {
  let settings: Record<string, unknown> = {};
  if (existsSync(file)) {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
      throw new Error(`${file} is not a JSON object`);
    settings = parsed as Record<string, unknown>;
  }
  const previous = (settings.cloud ?? {}) as Record<string, unknown>;
  settings.cloud = {
    ...previous,
    endpoint: deployed.functionUrl,
    mode: 'function-url',
    auth: deployed.auth === 'AWS_IAM' ? 'aws-iam' : 'none',
    region: deployed.region,
    functionName: deployed.functionName,
    awsProfile: deployed.profile ?? previous.awsProfile ?? '',
  };
  const tmp = `${file}.tmp-${process.pid}`;
  writeFileSync(tmp, JSON.stringify(settings, null, 2) + '\n');
  renameSync(tmp, file);
}

// SigV4 signing for the front doors deployed with auth AWS_IAM: Function URLs (service 'lambda') and
// API Gateway REST methods (service 'execute-api'). Credentials come from explicit options, a named
// profile, or the standard AWS chain (env, SSO, shared files, IMDS...).
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export type CredentialSource = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** The AWS SDK is loaded only when a request needs signing. */
export async function credentialChain(profile?: string): Promise<AwsCredentialIdentityProvider> {
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  return fromNodeProviderChain(profile ? { profile } : {});
}

export type SigningService = 'lambda' | 'execute-api';

export interface IamAuth {
  region: string;
  credentials?: CredentialSource;
  profile?: string;
}

export type RequestSigner = (
  url: URL,
  init: { method: string; headers: Record<string, string>; body: Uint8Array },
) => Promise<Record<string, string>>;

/** Signs each request for `service`; the credential chain is resolved once, on the first request. */
export function iamSigner(auth: IamAuth, service: SigningService): RequestSigner {
  let credentials: Promise<CredentialSource> | undefined;
  return async (url, init) => {
    credentials ??= auth.credentials ? Promise.resolve(auth.credentials) : credentialChain(auth.profile);
    return signRequest(url, init, { region: auth.region, credentials: await credentials, service });
  };
}

async function signRequest(
  url: URL,
  init: { method: string; headers: Record<string, string>; body: Uint8Array },
  opts: { region: string; credentials: CredentialSource; service: SigningService },
): Promise<Record<string, string>> {
  const [{ SignatureV4 }, { HttpRequest }, { Sha256 }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@smithy/protocol-http'),
    import('@aws-crypto/sha256-js'),
  ]);
  const signer = new SignatureV4({
    service: opts.service,
    region: opts.region,
    credentials: opts.credentials,
    sha256: Sha256,
  });
  const signed = await signer.sign(
    new HttpRequest({
      method: init.method,
      protocol: url.protocol,
      hostname: url.hostname,
      ...(url.port ? { port: Number(url.port) } : {}),
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...init.headers, host: url.host },
      body: init.body,
    }),
  );
  return signed.headers;
}

// SigV4 signing for Function URLs with auth type AWS_IAM (service 'lambda'). Credentials come from
// explicit options, a named profile, or the standard AWS chain (env, SSO, shared files, IMDS...).
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types';

export type CredentialSource = AwsCredentialIdentity | AwsCredentialIdentityProvider;

/** The AWS SDK is loaded only when a request needs signing. */
export async function credentialChain(profile?: string): Promise<AwsCredentialIdentityProvider> {
  const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  return fromNodeProviderChain(profile ? { profile } : {});
}

export async function signRequest(
  url: URL,
  init: { method: string; headers: Record<string, string>; body: Uint8Array },
  opts: { region: string; credentials: CredentialSource },
): Promise<Record<string, string>> {
  const [{ SignatureV4 }, { HttpRequest }, { Sha256 }] = await Promise.all([
    import('@smithy/signature-v4'),
    import('@smithy/protocol-http'),
    import('@aws-crypto/sha256-js'),
  ]);
  const signer = new SignatureV4({
    service: 'lambda',
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

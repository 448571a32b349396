/** Whose tokens a cluster's API server accepts: EKS, AKS (AAD) or GKE (Google OAuth); `any`: any bearer. */
export type KubernetesTokenScheme = 'any' | 'eks' | 'aks' | 'gke';

/** The AKS AAD server application every AKS-managed-AAD cluster token is issued for (`aud`). */
export const aksServerAppId = '6dae42f8-4368-4678-94ff-3960e28e3630';

/** How long EKS accepts an aws-iam-authenticator token after its signing time. */
const eksTokenLifetimeMs = 15 * 60_000;

/**
 * Why a bearer token is refused, or undefined when its shape is right. Checks
 * shape and time only (the emulator has no keys to verify signatures with):
 * EKS, `k8s-aws-v1.` + base64url of a presigned STS GetCallerIdentity URL that
 * signs `x-k8s-aws-id`, signed within the last 15 minutes; AKS, a JWT for the
 * AKS server application, not expired; GKE, a Google OAuth access token.
 */
export function tokenProblem(scheme: KubernetesTokenScheme, token: string, now: number): string | undefined {
  if (scheme === 'any') return undefined;
  if (scheme === 'gke') return token.startsWith('ya29.') ? undefined : 'not a Google OAuth access token';
  if (scheme === 'aks') {
    const payload = token.split('.')[1];
    if (token.split('.').length !== 3 || !payload) return 'not a JWT';
    try {
      const claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as {
        aud?: unknown;
        exp?: unknown;
      };
      if (claims.aud !== aksServerAppId) return 'the token is not for the AKS server application';
      if (typeof claims.exp !== 'number' || claims.exp * 1000 <= now) return 'the token has expired';
      return undefined;
    } catch {
      return 'not a JWT';
    }
  }
  const prefix = 'k8s-aws-v1.';
  if (!token.startsWith(prefix)) return 'not an aws-iam-authenticator token';
  let url: URL;
  try {
    url = new URL(Buffer.from(token.slice(prefix.length), 'base64url').toString('utf8'));
  } catch {
    return 'not an aws-iam-authenticator token';
  }
  const query = url.searchParams;
  if (!/^sts(\.[a-z0-9-]+)?\.amazonaws\.com$/.test(url.hostname)) return 'not an STS URL';
  if (query.get('Action') !== 'GetCallerIdentity') return 'not a GetCallerIdentity request';
  if (
    query.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' ||
    !/^[0-9a-f]{64}$/.test(query.get('X-Amz-Signature') ?? '')
  )
    return 'not presigned with SigV4';
  if (!(query.get('X-Amz-SignedHeaders') ?? '').split(';').includes('x-k8s-aws-id'))
    return 'x-k8s-aws-id is not signed';
  const date = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(query.get('X-Amz-Date') ?? '');
  if (!date) return 'no X-Amz-Date';
  const [, y, mo, d, h, mi, s] = date.map(Number) as number[];
  const signedAt = Date.UTC(y as number, (mo as number) - 1, d, h, mi, s);
  if (now - signedAt > eksTokenLifetimeMs) return 'the token has expired';
  if (signedAt - now > 5 * 60_000) return 'the token is signed in the future';
  return undefined;
}

import type { IncomingHttpHeaders } from 'node:http';

/** What the emulator reads from a SigV4 signature. Signatures themselves are not verified. */
export interface SigV4Scope {
  accessKeyId: string;
  date: string;
  region: string;
  service: string;
}

export type SigV4Result =
  | { ok: true; scope: SigV4Scope }
  | { ok: false; problem: 'missing' | 'malformed' | 'wrong-service'; message: string };

const credentialPattern = /^([^/\s]+)\/(\d{8})\/([a-z0-9-]+)\/([a-z0-9-]+)\/aws4_request$/;

/**
 * Reads the credential scope from the Authorization header (or a presigned
 * query), the way AWS routes a request to a region. A request without one is
 * rejected by AWS before anything else happens, so callers answer 403.
 */
export function readSigV4(
  headers: IncomingHttpHeaders,
  query: URLSearchParams,
  service: string,
): SigV4Result {
  const header = headers.authorization;
  let credential: string | undefined;
  if (typeof header === 'string' && header.trim() !== '') {
    const match = /^AWS4-HMAC-SHA256\s+(.*)$/.exec(header.trim());
    if (!match) {
      return {
        ok: false,
        problem: 'malformed',
        message: `Authorization header is not a valid AWS4-HMAC-SHA256 signature.`,
      };
    }
    const parts = new Map<string, string>();
    for (const part of match[1]!.split(',')) {
      const eq = part.indexOf('=');
      if (eq > 0) parts.set(part.slice(0, eq).trim(), part.slice(eq + 1).trim());
    }
    if (!parts.get('SignedHeaders') || !parts.get('Signature')) {
      return {
        ok: false,
        problem: 'malformed',
        message: "Authorization header requires 'Credential', 'SignedHeaders' and 'Signature' parameters.",
      };
    }
    credential = parts.get('Credential');
  } else if (query.get('X-Amz-Credential')) {
    if (!query.get('X-Amz-Signature')) {
      return {
        ok: false,
        problem: 'malformed',
        message: "Presigned request requires an 'X-Amz-Signature' parameter.",
      };
    }
    credential = query.get('X-Amz-Credential') ?? undefined;
  } else {
    return { ok: false, problem: 'missing', message: 'Missing Authentication Token' };
  }
  const scope = credentialPattern.exec(credential ?? '');
  if (!scope) {
    return {
      ok: false,
      problem: 'malformed',
      message: 'Credential must have the form <key>/<date>/<region>/<service>/aws4_request.',
    };
  }
  const [, accessKeyId, date, region, scopedService] = scope;
  if (scopedService !== service) {
    return {
      ok: false,
      problem: 'wrong-service',
      message: `Credential should be scoped to correct service: '${service}'.`,
    };
  }
  return { ok: true, scope: { accessKeyId: accessKeyId!, date: date!, region: region!, service } };
}

// The HTTP client of the Acme Flags API: JSON in and out, non-2xx answers thrown as AcmeApiError.
import { AcmeApiError } from './acme-dns-error.js';

/** Sends one request and resolves to its JSON body; throws `AcmeApiError` for anything else. */
export type AcmeFlagsClient = (
  method: 'GET' | 'PUT',
  path: string,
  options?: { body?: unknown; ifMatch?: number; signal?: AbortSignal | undefined },
) => Promise<unknown>;

export function createAcmeFlagsClient(options: {
  baseUrl: string;
  token: string | undefined;
  fetch: typeof fetch;
}): AcmeFlagsClient {
  const { baseUrl, token } = options;
  if (!token) throw new AcmeApiError(401, 'No API token: set settings.token or ACME_FLAGS_TOKEN.');
  return async (method, path, request = {}) => {
    const response = await options
      .fetch(`${baseUrl}${path}`, {
        method,
        headers: {
          authorization: `Bearer ${token}`,
          'content-type': 'application/json',
          ...(request.ifMatch !== undefined && { 'if-match': String(request.ifMatch) }),
        },
        ...(request.body !== undefined && { body: JSON.stringify(request.body) }),
        ...(request.signal && { signal: request.signal }),
      })
      .catch((cause: unknown) => {
        throw new AcmeApiError(0, `no answer (${cause instanceof Error ? cause.message : String(cause)})`);
      });
    const json = (await response.json().catch(() => ({}))) as { error?: { message?: string } };
    if (response.ok) return json;
    const seconds = Number.parseInt(response.headers.get('retry-after') ?? '', 10);
    const retryAfterMs = Number.isNaN(seconds) ? undefined : seconds * 1000;
    throw new AcmeApiError(response.status, json.error?.message ?? response.statusText, retryAfterMs);
  };
}

import type {
  EmulatorRequest,
  EmulatorResponse,
  HandleOptions,
  RouteMatch,
} from '../server/emulator-types.js';
import { googleError, invalid } from './gcp-error.js';

/** A 401 the way Google answers a request without an OAuth token, or undefined when one is present. */
export function requireBearer(request: EmulatorRequest): EmulatorResponse | undefined {
  if (/^Bearer \S+/i.test(String(request.headers.authorization ?? ''))) return undefined;
  return googleError(
    401,
    'Request is missing required authentication credential. Expected OAuth 2 access token, login cookie or other valid authentication credential.',
    { reason: 'required' },
  );
}

/** The parsed JSON object body, or the 400 Google returns for an unparseable one. */
export function jsonObjectBody(
  request: EmulatorRequest,
  options: { allowEmpty?: boolean } = {},
): Record<string, unknown> | EmulatorResponse {
  if (request.body.trim() === '') {
    return options.allowEmpty ? {} : invalid('The request body is required but was missing.', 'required');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(request.body);
  } catch {
    return invalid('Invalid JSON payload received.', 'parseError');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return invalid('Invalid JSON payload received. The body must be a JSON object.', 'parseError');
  }
  return parsed as Record<string, unknown>;
}

export function isResponse(value: unknown): value is EmulatorResponse {
  return (
    typeof value === 'object' && value !== null && typeof (value as EmulatorResponse).status === 'number'
  );
}

/** Decodes one path segment; undefined when it is not valid percent-encoding. */
export function decodeSegment(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

export const route = (
  operation: string,
  mutating: boolean,
  handle: (call: HandleOptions) => EmulatorResponse,
  region?: string,
): RouteMatch => ({ operation, mutating, handle, ...(region !== undefined && { region }) });

export const ok = (body: unknown): EmulatorResponse => ({ status: 200, body });

export const methodNotAllowed = (method: string): EmulatorResponse =>
  googleError(405, `Method ${method} is not supported on this resource.`);

export const iso = (ms: number): string => new Date(ms).toISOString();

/** Splits a list into a page and the token of the next one (`pageToken` is the offset). */
export function paginate<T>(
  items: T[],
  query: URLSearchParams,
  defaultPageSize: number,
): { page: T[]; nextPageToken?: string } | EmulatorResponse {
  const maxText = query.get('maxResults') ?? query.get('pageSize');
  const max = maxText === null ? defaultPageSize : Number(maxText);
  if (!Number.isInteger(max) || max < 0) return invalid(`Invalid value for maxResults: ${maxText}`);
  const size = max === 0 ? defaultPageSize : Math.min(max, defaultPageSize);
  const tokenText = query.get('pageToken');
  const offset = tokenText === null || tokenText === '' ? 0 : Number(tokenText);
  if (!Number.isInteger(offset) || offset < 0 || offset > items.length) {
    return invalid(`Invalid value for pageToken: ${tokenText}`);
  }
  const page = items.slice(offset, offset + size);
  const next = offset + size;
  return next < items.length ? { page, nextPageToken: String(next) } : { page };
}

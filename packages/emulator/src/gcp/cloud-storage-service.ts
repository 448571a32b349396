import { createHash } from 'node:crypto';
import type { EmulatorResponse, EmulatorService, ServiceContext } from '../server/emulator-types.js';
import { requireBearer } from './gcp-request.js';

/** One stored object, with its generation (GCS's version number of a name). */
export interface GcsStoredObject {
  body: string;
  generation: number;
  updated: number;
}

/** Cloud Storage, with its buckets open to tests (to lose a lock or tear a segment). */
export interface GcsEmulatorService extends EmulatorService {
  readonly buckets: Map<string, Map<string, GcsStoredObject>>;
  /** Creates a bucket, if absent. */
  createBucket(name: string): void;
}

/**
 * The Cloud Storage JSON API at `/gcp/storage` (root URL `${url}/gcp/storage/`):
 * objects.insert by media or multipart upload (`/upload/storage/v1/b/<bucket>/o`)
 * with `ifGenerationMatch` (`0`: create only; `412 conditionNotMet` otherwise),
 * objects.get (metadata, or the data with `alt=media`), objects.list and
 * objects.delete. Errors are GCS's `{ error: { code, message, errors: [...] } }`.
 */
export function createCloudStorageService(context: ServiceContext): GcsEmulatorService {
  const buckets = new Map<string, Map<string, GcsStoredObject>>();
  let generation = 1_700_000_000_000_000;
  const metadata = (bucket: string, name: string, object: GcsStoredObject) => ({
    kind: 'storage#object',
    id: `${bucket}/${name}/${object.generation}`,
    name,
    bucket,
    generation: String(object.generation),
    metageneration: '1',
    contentType: 'application/octet-stream',
    storageClass: 'STANDARD',
    size: String(Buffer.byteLength(object.body, 'utf8')),
    md5Hash: createHash('md5').update(object.body).digest('base64'),
    etag: createHash('md5').update(String(object.generation)).digest('base64').slice(0, 12),
    timeCreated: new Date(object.updated).toISOString(),
    updated: new Date(object.updated).toISOString(),
  });
  const noBucket = () => gcsError(404, 'The specified bucket does not exist.', 'notFound');
  const noObject = (bucket: string, name: string) =>
    gcsError(404, `No such object: ${bucket}/${name}`, 'notFound');

  return {
    id: 'gcp.storage',
    cloud: 'gcp',
    mount: '/gcp/storage',
    buckets,
    createBucket(name) {
      if (!buckets.has(name)) buckets.set(name, new Map());
    },
    route(request) {
      const unauthenticated = requireBearer(request);
      if (unauthenticated) return unauthenticated;
      const upload = /^\/upload\/storage\/v1\/b\/([^/]+)\/o$/.exec(request.path);
      const object = /^\/storage\/v1\/b\/([^/]+)\/o\/(.+)$/.exec(request.path);
      const list = /^\/storage\/v1\/b\/([^/]+)\/o$/.exec(request.path);
      const method = request.method.toUpperCase();
      if (upload && method === 'POST') {
        const bucketName = decodeURIComponent(upload[1]!);
        return {
          operation: 'objects.insert',
          mutating: true,
          handle: () => {
            const bucket = buckets.get(bucketName);
            if (!bucket) return noBucket();
            const parsed = uploadOf(request.query, request.headers['content-type'], request.body);
            if ('status' in parsed) return parsed;
            const match = request.query.get('ifGenerationMatch');
            const existing = bucket.get(parsed.name);
            if (match !== null && String(existing?.generation ?? 0) !== match) {
              return gcsError(
                412,
                'At least one of the pre-conditions you specified did not hold.',
                'conditionNotMet',
                {
                  locationType: 'header',
                  location: 'If-Match',
                },
              );
            }
            const stored = { body: parsed.body, generation: ++generation, updated: context.clock.now() };
            bucket.set(parsed.name, stored);
            return { status: 200, body: metadata(bucketName, parsed.name, stored) };
          },
        };
      }
      if (object && (method === 'GET' || method === 'DELETE')) {
        const bucketName = decodeURIComponent(object[1]!);
        const name = decodeURIComponent(object[2]!);
        return {
          operation: method === 'GET' ? 'objects.get' : 'objects.delete',
          mutating: method === 'DELETE',
          handle: () => {
            const bucket = buckets.get(bucketName);
            if (!bucket) return noBucket();
            const stored = bucket.get(name);
            if (!stored) return noObject(bucketName, name);
            if (method === 'DELETE') {
              bucket.delete(name);
              return { status: 204, body: '' };
            }
            if (request.query.get('alt') === 'media') {
              return {
                status: 200,
                headers: {
                  'content-type': 'application/octet-stream',
                  'x-goog-generation': String(stored.generation),
                  'x-goog-stored-content-length': String(Buffer.byteLength(stored.body, 'utf8')),
                },
                body: stored.body,
              };
            }
            return { status: 200, body: metadata(bucketName, name, stored) };
          },
        };
      }
      if (list && method === 'GET') {
        const bucketName = decodeURIComponent(list[1]!);
        return {
          operation: 'objects.list',
          mutating: false,
          handle: () => {
            const bucket = buckets.get(bucketName);
            if (!bucket) return noBucket();
            const prefix = request.query.get('prefix') ?? '';
            const after = request.query.get('pageToken') ?? '';
            const max = Math.min(Number(request.query.get('maxResults') ?? 1000) || 1000, 1000);
            const names = [...bucket.keys()].filter((name) => name.startsWith(prefix) && name > after).sort();
            const page = names.slice(0, max);
            // An empty listing has no `items` field at all, as GCS answers.
            return {
              status: 200,
              body: {
                kind: 'storage#objects',
                ...(names.length > page.length && { nextPageToken: page.at(-1) }),
                ...(page.length > 0 && {
                  items: page.map((name) => metadata(bucketName, name, bucket.get(name)!)),
                }),
              },
            };
          },
        };
      }
      return gcsError(404, `Not Found`, 'notFound');
    },
    errorResponse(kind, detail) {
      if (kind === 'throttled')
        return gcsError(429, 'The rate of change requests to the object is too high.', 'rateLimitExceeded');
      if (kind === 'server-error')
        return gcsError(503, 'We encountered an internal error. Please try again.', 'backendError');
      return gcsError(400, detail.message, 'invalid');
    },
  };
}

/** The object name and data of a media or multipart upload. */
function uploadOf(
  query: URLSearchParams,
  contentType: string | undefined,
  body: string,
): { name: string; body: string } | EmulatorResponse {
  const type = query.get('uploadType');
  if (type === 'media') {
    const name = query.get('name');
    if (!name) return gcsError(400, 'Required parameter: name', 'required');
    return { name, body };
  }
  if (type === 'multipart') {
    const boundary = /boundary=("?)([^";]+)\1/.exec(contentType ?? '')?.[2];
    if (!boundary) return gcsError(400, 'Multipart upload without a boundary.', 'invalid');
    const parts = body
      .split(`--${boundary}`)
      .slice(1, -1)
      .map((part) => {
        const split = part.indexOf('\r\n\r\n');
        return split === -1 ? '' : part.slice(split + 4, part.endsWith('\r\n') ? -2 : undefined);
      });
    if (parts.length !== 2)
      return gcsError(400, 'A multipart upload has a metadata part and a media part.', 'invalid');
    let metadata: { name?: string } = {};
    try {
      metadata = JSON.parse(parts[0]!) as { name?: string };
    } catch {
      return gcsError(400, 'Invalid JSON payload received.', 'parseError');
    }
    const name = metadata.name ?? query.get('name');
    if (!name) return gcsError(400, 'Required parameter: name', 'required');
    return { name, body: parts[1]! };
  }
  return gcsError(400, `Invalid upload type: ${type ?? '(none)'}`, 'invalid');
}

/** GCS's JSON error: `{ error: { code, message, errors: [{ message, domain, reason, ... }] } }`. */
function gcsError(
  code: number,
  message: string,
  reason: string,
  extra: Record<string, string> = {},
): EmulatorResponse {
  return {
    status: code,
    headers: { 'content-type': 'application/json; charset=UTF-8' },
    body: {
      error: {
        code,
        message,
        errors: [{ message, domain: code === 429 ? 'usageLimits' : 'global', reason, ...extra }],
      },
    },
  };
}

/** The Cloud Storage service of a running emulator's services. */
export function findCloudStorageService(
  services: readonly EmulatorService[],
): GcsEmulatorService | undefined {
  return services.find(
    (service): service is GcsEmulatorService => service.id === 'gcp.storage' && 'buckets' in service,
  );
}

import { createHash } from 'node:crypto';
import type { EmulatorResponse, EmulatorService, ServiceContext } from '../server/emulator-types.js';

/** One stored block blob. */
export interface StoredBlob {
  body: string;
  etag: string;
  lastModified: number;
}

/** Blob Storage, with its containers open to tests (to lose a lock or tear a segment). */
export interface BlobEmulatorService extends EmulatorService {
  /** Blobs by name, per `account/container`. */
  readonly containers: Map<string, Map<string, StoredBlob>>;
  /** Creates a container (as Create Container would), if absent. */
  createContainer(account: string, container: string): void;
}

const version = '2025-01-05';

/**
 * Blob Storage (path-style, as the storage emulators address it: `/<account>/<container>/<blob>`)
 * at `/azure/blob`: Create Container, Put Blob (block blobs; `If-None-Match: *`
 * makes it create-only, `409 BlobAlreadyExists` when the blob exists), Get Blob,
 * Delete Blob and List Blobs. Errors are the service's `<Error><Code/><Message/></Error>`
 * documents with `x-ms-error-code`: `ContainerNotFound`, `BlobNotFound`,
 * `BlobAlreadyExists`, `ServerBusy` 503 (throttling), `InternalError` 500.
 */
export function createBlobService(context: ServiceContext): BlobEmulatorService {
  const containers = new Map<string, Map<string, StoredBlob>>();
  const requestId = () => globalThis.crypto.randomUUID();
  const error = (status: number, code: string, message: string): EmulatorResponse => {
    const id = requestId();
    return {
      status,
      headers: {
        'content-type': 'application/xml',
        'x-ms-error-code': code,
        'x-ms-request-id': id,
        'x-ms-version': version,
      },
      body: `<?xml version="1.0" encoding="utf-8"?><Error><Code>${code}</Code><Message>${message}\nRequestId:${id}\nTime:${new Date(context.clock.now()).toISOString()}</Message></Error>`,
    };
  };
  const headers = (extra: Record<string, string> = {}) => ({
    'x-ms-request-id': requestId(),
    'x-ms-version': version,
    date: new Date(context.clock.now()).toUTCString(),
    ...extra,
  });
  const noContainer = () => error(404, 'ContainerNotFound', 'The specified container does not exist.');

  return {
    id: 'azure.blob',
    cloud: 'azure',
    mount: '/azure/blob',
    containers,
    createContainer(account, container) {
      const key = `${account}/${container}`;
      if (!containers.has(key)) containers.set(key, new Map());
    },
    route(request) {
      const [, account = '', container = '', ...rest] = request.path.split('/');
      const blobName = rest.map((part) => decodeURIComponent(part)).join('/');
      const key = `${account}/${decodeURIComponent(container)}`;
      const method = request.method.toUpperCase();
      if (account === '' || container === '') {
        return error(400, 'InvalidUri', 'The requested URI does not represent any resource on the server.');
      }
      if (blobName === '' && request.query.get('restype') === 'container') {
        if (method === 'PUT') {
          return {
            operation: 'Container_Create',
            mutating: true,
            handle: () => {
              if (containers.has(key))
                return error(409, 'ContainerAlreadyExists', 'The specified container already exists.');
              containers.set(key, new Map());
              return { status: 201, headers: headers({ etag: '"0x1"' }), body: '' };
            },
          };
        }
        if (method === 'GET' && request.query.get('comp') === 'list') {
          return {
            operation: 'Container_ListBlobFlatSegment',
            mutating: false,
            handle: () => {
              const blobs = containers.get(key);
              if (!blobs) return noContainer();
              return listBlobs(
                request.originalUrl,
                decodeURIComponent(container),
                blobs,
                request.query,
                headers(),
              );
            },
          };
        }
      }
      if (blobName === '')
        return error(
          400,
          'InvalidQueryParameterValue',
          'Value for one of the query parameters specified in the request URI is invalid.',
        );
      switch (method) {
        case 'PUT':
          return {
            operation: 'BlockBlob_Upload',
            mutating: true,
            handle: () => {
              const blobs = containers.get(key);
              if (!blobs) return noContainer();
              const ifNoneMatch = request.headers['if-none-match'];
              if (ifNoneMatch === '*' && blobs.has(blobName)) {
                return error(409, 'BlobAlreadyExists', 'The specified blob already exists.');
              }
              const etag = `"0x${createHash('md5').update(`${request.body}${context.clock.now()}`).digest('hex').slice(0, 15).toUpperCase()}"`;
              const lastModified = context.clock.now();
              blobs.set(blobName, { body: request.body, etag, lastModified });
              return {
                status: 201,
                headers: headers({
                  etag,
                  'last-modified': new Date(lastModified).toUTCString(),
                  'content-md5': createHash('md5').update(request.body).digest('base64'),
                  'x-ms-request-server-encrypted': 'true',
                }),
                body: '',
              };
            },
          };
        case 'GET':
          return {
            operation: 'Blob_Download',
            mutating: false,
            handle: () => {
              const blobs = containers.get(key);
              if (!blobs) return noContainer();
              const blob = blobs.get(blobName);
              if (!blob) return error(404, 'BlobNotFound', 'The specified blob does not exist.');
              return {
                status: 200,
                headers: headers({
                  etag: blob.etag,
                  'last-modified': new Date(blob.lastModified).toUTCString(),
                  'content-type': 'application/octet-stream',
                  'x-ms-blob-type': 'BlockBlob',
                }),
                body: blob.body,
              };
            },
          };
        case 'DELETE':
          return {
            operation: 'Blob_Delete',
            mutating: true,
            handle: () => {
              const blobs = containers.get(key);
              if (!blobs) return noContainer();
              if (!blobs.delete(blobName))
                return error(404, 'BlobNotFound', 'The specified blob does not exist.');
              return { status: 202, headers: headers({ 'x-ms-delete-type-permanent': 'true' }), body: '' };
            },
          };
        default:
          return error(405, 'UnsupportedHttpVerb', "The resource doesn't support specified Http Verb.");
      }
    },
    errorResponse(kind, detail) {
      if (kind === 'throttled') return error(503, 'ServerBusy', 'The server is busy.');
      if (kind === 'server-error')
        return error(
          500,
          'InternalError',
          'The server encountered an internal error. Please retry the request.',
        );
      return error(400, 'InvalidInput', detail.message);
    },
  };
}

function listBlobs(
  originalUrl: string,
  container: string,
  blobs: Map<string, StoredBlob>,
  query: URLSearchParams,
  responseHeaders: Record<string, string>,
): EmulatorResponse {
  const prefix = query.get('prefix') ?? '';
  const marker = query.get('marker') ?? '';
  const max = Math.min(Number(query.get('maxresults') ?? 5000) || 5000, 5000);
  const names = [...blobs.keys()].filter((name) => name.startsWith(prefix) && name > marker).sort();
  const page = names.slice(0, max);
  const next = names.length > page.length ? page.at(-1)! : '';
  const items = page
    .map((name) => {
      const blob = blobs.get(name)!;
      return `<Blob><Name>${escapeXmlText(name)}</Name><Properties><Creation-Time>${new Date(blob.lastModified).toUTCString()}</Creation-Time><Last-Modified>${new Date(blob.lastModified).toUTCString()}</Last-Modified><Etag>${blob.etag}</Etag><Content-Length>${Buffer.byteLength(blob.body, 'utf8')}</Content-Length><Content-Type>application/octet-stream</Content-Type><BlobType>BlockBlob</BlobType><AccessTier>Hot</AccessTier><AccessTierInferred>true</AccessTierInferred><LeaseStatus>unlocked</LeaseStatus><LeaseState>available</LeaseState><ServerEncrypted>true</ServerEncrypted></Properties></Blob>`;
    })
    .join('');
  const endpoint = originalUrl.split('?')[0]!.split('/').slice(0, -1).join('/');
  return {
    status: 200,
    headers: { ...responseHeaders, 'content-type': 'application/xml' },
    body:
      `<?xml version="1.0" encoding="utf-8"?><EnumerationResults ServiceEndpoint="${escapeXmlText(endpoint)}/" ContainerName="${escapeXmlText(container)}">` +
      `${prefix ? `<Prefix>${escapeXmlText(prefix)}</Prefix>` : ''}${marker ? `<Marker>${escapeXmlText(marker)}</Marker>` : ''}` +
      `<Blobs>${items}</Blobs>${next ? `<NextMarker>${escapeXmlText(next)}</NextMarker>` : '<NextMarker />'}</EnumerationResults>`,
  };
}

function escapeXmlText(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** The Blob Storage service of a running emulator's services. */
export function findBlobService(services: readonly EmulatorService[]): BlobEmulatorService | undefined {
  return services.find(
    (service): service is BlobEmulatorService => service.id === 'azure.blob' && 'containers' in service,
  );
}

import { createHash } from 'node:crypto';
import type { EmulatorResponse, EmulatorService, ServiceContext } from '../server/emulator-types.js';
import { requestId } from './aws-responses.js';
import { type AwsWorld, authorize, isResponse, xmlAuthCodes } from './aws-world.js';
import { escapeXml } from './aws-xml.js';

/** One stored object. */
export interface S3StoredObject {
  body: string;
  etag: string;
  lastModified: number;
}

/** The S3 service, with its buckets open to tests (to lose a lock or tear a segment). */
export interface S3EmulatorService extends EmulatorService {
  /** Objects by key, per bucket. */
  readonly buckets: Map<string, Map<string, S3StoredObject>>;
  /** Creates a bucket (as CreateBucket would), if absent. */
  createBucket(name: string): void;
}

const namespace = 'http://s3.amazonaws.com/doc/2006-03-01/';

/**
 * S3 over REST-XML, path-style, at `/aws/s3` (signing name `s3`): CreateBucket,
 * PutObject (with `If-None-Match: *`, a create-only write: `412 PreconditionFailed`
 * when the key exists), GetObject, HeadObject, DeleteObject and ListObjectsV2.
 * Errors are S3's own `<Error>` documents (no `ErrorResponse` wrapper):
 * `NoSuchBucket`, `NoSuchKey`, `PreconditionFailed` (with `<Condition>`),
 * `SlowDown` 503 (throttling), `InternalError` 500.
 */
export function createS3Service(context: ServiceContext, world: AwsWorld): S3EmulatorService {
  const buckets = new Map<string, Map<string, S3StoredObject>>();
  const id = () => requestId(context.random);
  const error = (status: number, code: string, message: string, extra: Record<string, string> = {}) =>
    s3Error(status, code, message, id(), extra);

  const bucketOf = (name: string) => buckets.get(name);
  const noBucket = (name: string) =>
    error(404, 'NoSuchBucket', 'The specified bucket does not exist', { BucketName: name });

  return {
    id: 'aws.s3',
    cloud: 'aws',
    mount: '/aws/s3',
    buckets,
    createBucket(name) {
      if (!buckets.has(name)) buckets.set(name, new Map());
    },
    route(request) {
      const auth = authorize(request, world, 's3', xmlAuthCodes, error);
      if (isResponse(auth)) return auth;
      const { region } = auth;
      const [, rawBucket = '', ...rest] = request.path.split('/');
      const bucketName = decodeURIComponent(rawBucket);
      const key = rest.map((part) => decodeURIComponent(part)).join('/');
      if (bucketName === '') return error(400, 'InvalidRequest', 'A bucket name is required.');
      const method = request.method.toUpperCase();

      if (key === '' && method === 'PUT') {
        return {
          operation: 'CreateBucket',
          mutating: true,
          region,
          handle: () => {
            if (!buckets.has(bucketName)) buckets.set(bucketName, new Map());
            return {
              status: 200,
              headers: { location: `/${bucketName}`, 'x-amz-request-id': id() },
              body: '',
            };
          },
        };
      }
      if (key === '' && method === 'GET' && request.query.get('list-type') === '2') {
        return {
          operation: 'ListObjectsV2',
          mutating: false,
          region,
          handle: () => {
            const bucket = bucketOf(bucketName);
            if (!bucket) return noBucket(bucketName);
            return listObjects(bucketName, bucket, request.query, id());
          },
        };
      }
      if (key === '') {
        return error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      }
      switch (method) {
        case 'PUT':
          return {
            operation: 'PutObject',
            mutating: true,
            region,
            handle: () => {
              const bucket = bucketOf(bucketName);
              if (!bucket) return noBucket(bucketName);
              const ifNoneMatch = header(request.headers['if-none-match']);
              if (ifNoneMatch !== undefined && ifNoneMatch !== '*') {
                return error(
                  501,
                  'NotImplemented',
                  'A header you provided implies functionality that is not implemented',
                  {
                    Header: 'If-None-Match',
                  },
                );
              }
              if (ifNoneMatch === '*' && bucket.has(key)) {
                return error(
                  412,
                  'PreconditionFailed',
                  'At least one of the pre-conditions you specified did not hold',
                  {
                    Condition: 'If-None-Match',
                  },
                );
              }
              const etag = `"${createHash('md5').update(request.body).digest('hex')}"`;
              bucket.set(key, { body: request.body, etag, lastModified: context.clock.now() });
              return { status: 200, headers: { etag, 'x-amz-request-id': id() }, body: '' };
            },
          };
        case 'GET':
        case 'HEAD':
          return {
            operation: method === 'GET' ? 'GetObject' : 'HeadObject',
            mutating: false,
            region,
            handle: () => {
              const bucket = bucketOf(bucketName);
              if (!bucket) return method === 'HEAD' ? { status: 404, body: '' } : noBucket(bucketName);
              const object = bucket.get(key);
              if (!object) {
                return method === 'HEAD'
                  ? { status: 404, headers: { 'x-amz-request-id': id() }, body: '' }
                  : error(404, 'NoSuchKey', 'The specified key does not exist.', { Key: key });
              }
              return {
                status: 200,
                headers: {
                  etag: object.etag,
                  'content-type': 'application/octet-stream',
                  'last-modified': new Date(object.lastModified).toUTCString(),
                  'x-amz-request-id': id(),
                },
                body: method === 'GET' ? object.body : '',
              };
            },
          };
        case 'DELETE':
          return {
            operation: 'DeleteObject',
            mutating: true,
            region,
            handle: () => {
              const bucket = bucketOf(bucketName);
              if (!bucket) return noBucket(bucketName);
              // Deleting a key that does not exist succeeds, as on S3.
              bucket.delete(key);
              return { status: 204, headers: { 'x-amz-request-id': id() }, body: '' };
            },
          };
        default:
          return error(405, 'MethodNotAllowed', 'The specified method is not allowed against this resource.');
      }
    },
    errorResponse(kind, detail) {
      if (kind === 'throttled') return error(503, 'SlowDown', 'Please reduce your request rate.');
      if (kind === 'server-error')
        return error(500, 'InternalError', 'We encountered an internal error. Please try again.');
      return error(400, 'MalformedXML', detail.message);
    },
  };
}

function listObjects(
  bucketName: string,
  bucket: Map<string, S3StoredObject>,
  query: URLSearchParams,
  id: string,
): EmulatorResponse {
  const prefix = query.get('prefix') ?? '';
  const maxKeys = Math.min(Number(query.get('max-keys') ?? 1000) || 1000, 1000);
  const after = query.get('continuation-token') ?? query.get('start-after') ?? '';
  const keys = [...bucket.keys()].filter((key) => key.startsWith(prefix) && key > after).sort();
  const page = keys.slice(0, maxKeys);
  const truncated = keys.length > page.length;
  const contents = page
    .map((key) => {
      const object = bucket.get(key)!;
      return `<Contents><Key>${escapeXml(key)}</Key><LastModified>${new Date(object.lastModified).toISOString()}</LastModified><ETag>${escapeXml(object.etag)}</ETag><Size>${Buffer.byteLength(object.body, 'utf8')}</Size><StorageClass>STANDARD</StorageClass></Contents>`;
    })
    .join('');
  const token = query.get('continuation-token');
  const body =
    `<?xml version="1.0" encoding="UTF-8"?>\n<ListBucketResult xmlns="${namespace}"><Name>${escapeXml(bucketName)}</Name>` +
    `<Prefix>${escapeXml(prefix)}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${maxKeys}</MaxKeys>` +
    (token ? `<ContinuationToken>${escapeXml(token)}</ContinuationToken>` : '') +
    `<IsTruncated>${truncated}</IsTruncated>` +
    (truncated ? `<NextContinuationToken>${escapeXml(page.at(-1)!)}</NextContinuationToken>` : '') +
    `${contents}</ListBucketResult>`;
  return { status: 200, headers: { 'content-type': 'application/xml', 'x-amz-request-id': id }, body };
}

/** S3's error document: `<Error><Code/><Message/>…<RequestId/><HostId/></Error>`, no wrapper. */
function s3Error(
  status: number,
  code: string,
  message: string,
  id: string,
  extra: Record<string, string>,
): EmulatorResponse {
  const fields = Object.entries(extra)
    .map(([name, value]) => `<${name}>${escapeXml(value)}</${name}>`)
    .join('');
  return {
    status,
    headers: { 'content-type': 'application/xml', 'x-amz-request-id': id },
    body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${escapeXml(message)}</Message>${fields}<RequestId>${id}</RequestId><HostId>${Buffer.from(id).toString('base64')}</HostId></Error>`,
  };
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** The S3 service of a running emulator's services. */
export function findS3Service(services: readonly EmulatorService[]): S3EmulatorService | undefined {
  return services.find(
    (service): service is S3EmulatorService => service.id === 'aws.s3' && 'buckets' in service,
  );
}

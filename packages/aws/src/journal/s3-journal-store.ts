import type { S3Client } from '@aws-sdk/client-s3';
import { attempt, type JournalObjectStoreV1 } from '@failover/core';
import { mapAwsError } from '../aws-error.js';
import type { AwsClientConfig, AwsCredentials } from '../aws-settings.js';

/** Settings of `s3JournalStore`. */
export interface S3JournalStoreSettings {
  bucket: string;
  /** Key prefix of this journal, e.g. `failover/payments` (no leading or trailing `/` needed). */
  prefix?: string;
  /** The bucket's region. Default: the SDK's (environment, profile). */
  region?: string;
  /** Default: the SDK's default credential chain. */
  credentials?: AwsCredentials;
  /** The S3 endpoint (tests: the emulator's `aws.s3`); path-style addressing is then used. Default: the SDK's. */
  endpoint?: string;
  clientConfig?: AwsClientConfig;
  /** Escape hatch: the client to use. */
  client?: () => S3Client;
}

const provider = 'aws.s3';

/**
 * A journal store on S3 (`JournalObjectStoreV1`): create-only writes are
 * `PutObject` with `If-None-Match: *`, whose `412 PreconditionFailed` means the
 * key exists; reads are `GetObject` (`NoSuchKey`: absent), listings
 * `ListObjectsV2`. Pass it to `createObjectStoreJournal`. The client is created
 * lazily, on the first call.
 */
export function s3JournalStore(settings: S3JournalStoreSettings): JournalObjectStoreV1 {
  const root = (settings.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const full = (key: string) => (root ? `${root}/${key}` : key);
  let client: Promise<S3Client> | undefined;
  const getClient = () => {
    client ??= settings.client
      ? Promise.resolve(settings.client())
      : import('@aws-sdk/client-s3').then(
          ({ S3Client }) =>
            new S3Client({
              ...settings.clientConfig,
              ...(settings.region && { region: settings.region }),
              ...(settings.credentials && { credentials: settings.credentials }),
              ...(settings.endpoint && { endpoint: settings.endpoint, forcePathStyle: true }),
            }),
        );
    return client;
  };
  const call = <T>(
    operation: string,
    run: (s3: S3Client, sdk: typeof import('@aws-sdk/client-s3')) => Promise<T>,
  ) =>
    attempt(
      async () => run(await getClient(), await import('@aws-sdk/client-s3')),
      { provider, operation },
      (thrown) => mapAwsError(thrown, { provider, operation }),
    );

  return {
    specificationVersion: 'v1',
    location: `s3://${settings.bucket}${root ? `/${root}` : ''}`,
    createIfAbsent(key, body) {
      return call('PutObject', async (s3, { PutObjectCommand }) => {
        try {
          await s3.send(
            new PutObjectCommand({ Bucket: settings.bucket, Key: full(key), Body: body, IfNoneMatch: '*' }),
          );
          return true;
        } catch (thrown) {
          if (statusOf(thrown) === 412) return false;
          throw thrown;
        }
      });
    },
    get(key) {
      return call('GetObject', async (s3, { GetObjectCommand }) => {
        try {
          const answer = await s3.send(new GetObjectCommand({ Bucket: settings.bucket, Key: full(key) }));
          return (await answer.Body?.transformToString('utf8')) ?? '';
        } catch (thrown) {
          if ((thrown as { name?: string }).name === 'NoSuchKey') return undefined;
          throw thrown;
        }
      });
    },
    list(prefix) {
      return call('ListObjectsV2', async (s3, { ListObjectsV2Command }) => {
        const keys: string[] = [];
        let token: string | undefined;
        do {
          const page = await s3.send(
            new ListObjectsV2Command({
              Bucket: settings.bucket,
              Prefix: full(prefix),
              ...(token && { ContinuationToken: token }),
            }),
          );
          for (const object of page.Contents ?? []) {
            if (object.Key) keys.push(root ? object.Key.slice(root.length + 1) : object.Key);
          }
          token = page.IsTruncated ? page.NextContinuationToken : undefined;
        } while (token);
        return keys;
      });
    },
    delete(key) {
      return call('DeleteObject', async (s3, { DeleteObjectCommand }) => {
        await s3.send(new DeleteObjectCommand({ Bucket: settings.bucket, Key: full(key) }));
      });
    },
  };
}

function statusOf(thrown: unknown): number | undefined {
  return (thrown as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
}

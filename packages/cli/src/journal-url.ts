import { fileURLToPath } from 'node:url';
import {
  createFileJournal,
  createObjectStoreJournal,
  type FileJournal,
  type JournalObjectStoreV1,
  type LockHolder,
} from '@failover/core';
import { CliError } from './cli-error.js';

/** How a journal URL is opened: the emulator's URL under `--emulator`, and a named stale holder. */
export interface JournalUrlOptions {
  /** `--take-over <run id>`: the holder of a stale lock to take over (object-store journals). */
  takeOver?: string;
  /** `--emulator`: object stores are then the emulator's (loopback, test credentials). */
  emulatorUrl?: string;
  /** Environment, for `AWS_REGION`. */
  env: Readonly<Record<string, string | undefined>>;
}

/** Whether `--journal` names a URL (`s3://`, `file://`…) rather than a file path. */
export function isJournalUrl(value: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(value);
}

/** Test credentials for the emulator, which reads only the SigV4 scope. Never used against a cloud. */
const emulatorAwsCredentials = { accessKeyId: 'AKIDEMULATOR0000', secretAccessKey: 'emulator-secret' };

/**
 * Opens the journal a URL names, so that any machine can resume a run:
 * `s3://bucket/prefix` (S3, create-only PutObject), `azblob://account/container/prefix`
 * (Blob Storage, create-only Put Blob), `gs://bucket/prefix` (Cloud Storage, ifGenerationMatch=0),
 * `file:///path` (a local file).
 * Under `--emulator` the object store is the emulator's. The lock's holder is read
 * once here, for the pre-flight message; taking the lock decides for real.
 */
export async function openJournalUrl(url: string, options: JournalUrlOptions): Promise<FileJournal> {
  const parsed = new URL(url);
  if (parsed.protocol === 'file:') return createFileJournal(fileURLToPath(parsed));
  const store = await objectStoreOf(parsed, options);
  const journal = createObjectStoreJournal(store, {
    ...(options.takeOver !== undefined && { takeOver: options.takeOver }),
  });
  const holder = await journal.lockHolder();
  if (holder.isErr())
    throw new CliError(`Could not read the journal ${store.location}: ${holder.error.message}`);
  const current: LockHolder | undefined = holder.value;
  return {
    acquireLock: (planId, runId) => journal.acquireLock(planId, runId),
    append: (entry) => journal.append(entry),
    read: () => journal.read(),
    // A holder named by --take-over is not in the way: the takeover decides when the lock is taken.
    lockHolder: () => (current && current.runId !== options.takeOver ? current : undefined),
  };
}

async function objectStoreOf(url: URL, options: JournalUrlOptions): Promise<JournalObjectStoreV1> {
  const prefix = decodeURIComponent(url.pathname.replace(/^\/+/, ''));
  switch (url.protocol) {
    case 's3:': {
      const { s3JournalStore } = await import('@failover/aws');
      const region =
        url.searchParams.get('region') ?? options.env.AWS_REGION ?? options.env.AWS_DEFAULT_REGION;
      return s3JournalStore({
        bucket: url.hostname,
        prefix,
        ...(options.emulatorUrl !== undefined
          ? {
              endpoint: `${options.emulatorUrl.replace(/\/+$/, '')}/aws/s3`,
              credentials: emulatorAwsCredentials,
              region: region ?? 'us-east-1',
            }
          : region !== undefined && { region }),
      });
    }
    case 'gs:': {
      const { gcsJournalStore } = await import('@failover/gcp');
      return gcsJournalStore({
        bucket: url.hostname,
        prefix,
        ...(options.emulatorUrl !== undefined && {
          rootUrl: `${options.emulatorUrl.replace(/\/+$/, '')}/gcp/storage/`,
          accessToken: 'emulator-token',
        }),
      });
    }
    case 'azblob:': {
      // azblob://<account>/<container>/<prefix>
      const [container = '', ...rest] = prefix.split('/');
      if (container === '')
        throw new CliError(
          `--journal ${url.href} names no container: use azblob://<account>/<container>/<prefix>.`,
        );
      const { blobJournalStore } = await import('@failover/azure');
      const base =
        options.emulatorUrl !== undefined
          ? `${options.emulatorUrl.replace(/\/+$/, '')}/azure/blob/${url.hostname}`
          : `https://${url.hostname}.blob.core.windows.net`;
      return blobJournalStore({
        containerUrl: `${base}/${container}`,
        prefix: rest.join('/'),
        ...(options.emulatorUrl !== undefined && { credential: 'anonymous' as const }),
      });
    }
    default:
      throw new CliError(
        `--journal ${url.protocol}// is not a journal store this CLI knows: use a file path, file://, s3://<bucket>/<prefix>, gs://<bucket>/<prefix> or azblob://<account>/<container>/<prefix>.`,
      );
  }
}

import { attempt, type JournalObjectStoreV1 } from '@failover/core';
import type { storage_v1 } from '@googleapis/storage';
import type { GoogleAuthOptions } from 'google-auth-library';
import { mapGcpError } from '../gcp-error.js';
import type { GcpAuthClient } from '../gcp-settings.js';

/** Settings of `gcsJournalStore`. */
export interface GcsJournalStoreSettings {
  bucket: string;
  /** Object name prefix of this journal, e.g. `failover/payments`. */
  prefix?: string;
  /** The API root (tests: the emulator's `${url}/gcp/storage/`). Default: Google's. */
  rootUrl?: string;
  /** An auth client of your own. */
  authClient?: GcpAuthClient;
  /** A fixed OAuth access token (the emulator's any token) when `authClient` is not given. Never logged. */
  accessToken?: string;
  /** Options for the default `GoogleAuth` (Application Default Credentials). */
  googleAuthOptions?: GoogleAuthOptions;
}

const provider = 'gcp.storage';
const scope = 'https://www.googleapis.com/auth/devstorage.read_write';

/**
 * A journal store on Cloud Storage (`JournalObjectStoreV1`): create-only writes
 * are `objects.insert` media uploads with `ifGenerationMatch=0`, whose
 * `412 conditionNotMet` means the object exists; reads `objects.get` with
 * `alt=media` (`404`: absent); listings `objects.list`. Pass it to `createObjectStoreJournal`.
 */
export function gcsJournalStore(settings: GcsJournalStoreSettings): JournalObjectStoreV1 {
  const root = (settings.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const full = (key: string) => (root ? `${root}/${key}` : key);
  const options = settings.rootUrl ? { rootUrl: settings.rootUrl } : {};
  let client: Promise<storage_v1.Storage> | undefined;
  const getClient = () => {
    client ??= (async () => {
      const { storage } = await import('@googleapis/storage');
      return storage({ version: 'v1', auth: await authOf(settings) });
    })();
    return client;
  };
  const call = <T>(operation: string, run: (gcs: storage_v1.Storage) => Promise<T>) =>
    attempt(
      async () => run(await getClient()),
      { provider, operation },
      (thrown) => mapGcpError(thrown, provider, operation),
    );

  return {
    specificationVersion: 'v1',
    location: `gs://${settings.bucket}${root ? `/${root}` : ''}`,
    createIfAbsent(key, body) {
      return call('objects.insert', async (gcs) => {
        try {
          await gcs.objects.insert(
            {
              bucket: settings.bucket,
              name: full(key),
              ifGenerationMatch: '0',
              media: { mimeType: 'application/x-ndjson', body },
            },
            options,
          );
          return true;
        } catch (thrown) {
          if (statusOf(thrown) === 412) return false;
          throw thrown;
        }
      });
    },
    get(key) {
      return call('objects.get', async (gcs) => {
        try {
          const answer = await gcs.objects.get(
            { bucket: settings.bucket, object: full(key), alt: 'media' },
            { ...options, responseType: 'text' },
          );
          return String(answer.data ?? '');
        } catch (thrown) {
          if (statusOf(thrown) === 404) return undefined;
          throw thrown;
        }
      });
    },
    list(prefix) {
      return call('objects.list', async (gcs) => {
        const keys: string[] = [];
        let pageToken: string | undefined;
        do {
          const page = await gcs.objects.list(
            { bucket: settings.bucket, prefix: full(prefix), ...(pageToken && { pageToken }) },
            options,
          );
          for (const item of page.data.items ?? []) {
            if (item.name) keys.push(root ? item.name.slice(root.length + 1) : item.name);
          }
          pageToken = page.data.nextPageToken ?? undefined;
        } while (pageToken);
        return keys;
      });
    },
    delete(key) {
      return call('objects.delete', async (gcs) => {
        try {
          await gcs.objects.delete({ bucket: settings.bucket, object: full(key) }, options);
        } catch (thrown) {
          if (statusOf(thrown) !== 404) throw thrown;
        }
      });
    },
  };
}

async function authOf(settings: GcsJournalStoreSettings): Promise<GcpAuthClient> {
  if (settings.authClient) return settings.authClient;
  if (settings.accessToken !== undefined) {
    const { OAuth2Client } = await import('google-auth-library');
    const client = new OAuth2Client();
    client.setCredentials({ access_token: settings.accessToken, expiry_date: Number.MAX_SAFE_INTEGER });
    return client;
  }
  const { GoogleAuth } = await import('google-auth-library');
  return new GoogleAuth({ scopes: [scope], ...settings.googleAuthOptions });
}

function statusOf(thrown: unknown): number | undefined {
  const error = thrown as { status?: unknown; code?: unknown; response?: { status?: unknown } };
  const status = error.response?.status ?? error.status ?? error.code;
  return typeof status === 'number' ? status : Number(status) || undefined;
}

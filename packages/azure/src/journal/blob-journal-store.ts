import type { TokenCredential } from '@azure/core-auth';
import type { ContainerClient, StoragePipelineOptions } from '@azure/storage-blob';
import { attempt, type JournalObjectStoreV1 } from '@failover/core';
import { toAzureError } from '../azure-error.js';

/** Settings of `blobJournalStore`. */
export interface BlobJournalStoreSettings {
  /** The container's URL, e.g. `https://<account>.blob.core.windows.net/<container>` (tests: the emulator's). */
  containerUrl: string;
  /** Blob name prefix of this journal, e.g. `failover/payments`. */
  prefix?: string;
  /** Default: `DefaultAzureCredential` from `@azure/identity`. `'anonymous'`: none (the emulator, a SAS URL). */
  credential?: TokenCredential | 'anonymous';
  /** Pipeline options (retries, HTTP client) passed to the SDK. */
  pipelineOptions?: StoragePipelineOptions;
  /** Escape hatch: the container client to use. */
  client?: () => ContainerClient;
}

const provider = 'azure.blob';

/**
 * A journal store on Azure Blob Storage (`JournalObjectStoreV1`): create-only
 * writes are Put Blob with `If-None-Match: *`, whose `409 BlobAlreadyExists`
 * (or `412 ConditionNotMet`) means the blob exists; reads Get Blob (`404`:
 * absent), listings List Blobs. Pass it to `createObjectStoreJournal`.
 */
export function blobJournalStore(settings: BlobJournalStoreSettings): JournalObjectStoreV1 {
  const root = (settings.prefix ?? '').replace(/^\/+|\/+$/g, '');
  const full = (key: string) => (root ? `${root}/${key}` : key);
  let client: Promise<ContainerClient> | undefined;
  const getClient = () => {
    client ??= settings.client
      ? Promise.resolve(settings.client())
      : (async () => {
          const { AnonymousCredential, ContainerClient } = await import('@azure/storage-blob');
          const credential =
            settings.credential === 'anonymous'
              ? new AnonymousCredential()
              : (settings.credential ?? new (await import('@azure/identity')).DefaultAzureCredential());
          return new ContainerClient(settings.containerUrl, credential, settings.pipelineOptions);
        })();
    return client;
  };
  const call = <T>(operation: string, run: (container: ContainerClient) => Promise<T>) =>
    attempt(
      async () => run(await getClient()),
      { provider, operation },
      (thrown) => toAzureError(thrown, provider, operation),
    );
  const url = new URL(settings.containerUrl);

  return {
    specificationVersion: 'v1',
    location: `azblob://${url.host}${url.pathname.replace(/\/+$/, '')}${root ? `/${root}` : ''}`,
    createIfAbsent(key, body) {
      return call('PutBlob', async (container) => {
        try {
          await container
            .getBlockBlobClient(full(key))
            .upload(body, Buffer.byteLength(body, 'utf8'), { conditions: { ifNoneMatch: '*' } });
          return true;
        } catch (thrown) {
          const status = (thrown as { statusCode?: number }).statusCode;
          if (status === 409 || status === 412) return false;
          throw thrown;
        }
      });
    },
    get(key) {
      return call('GetBlob', async (container) => {
        try {
          const answer = await container.getBlobClient(full(key)).download();
          return await readAll(answer.readableStreamBody);
        } catch (thrown) {
          if ((thrown as { statusCode?: number }).statusCode === 404) return undefined;
          throw thrown;
        }
      });
    },
    list(prefix) {
      return call('ListBlobs', async (container) => {
        const keys: string[] = [];
        for await (const blob of container.listBlobsFlat({ prefix: full(prefix) })) {
          keys.push(root ? blob.name.slice(root.length + 1) : blob.name);
        }
        return keys;
      });
    },
    delete(key) {
      return call('DeleteBlob', async (container) => {
        await container.getBlobClient(full(key)).deleteIfExists();
      });
    },
  };
}

async function readAll(stream: NodeJS.ReadableStream | undefined): Promise<string> {
  if (!stream) return '';
  const chunks: Buffer[] = [];
  for await (const chunk of stream)
    chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : (chunk as Buffer));
  return Buffer.concat(chunks).toString('utf8');
}

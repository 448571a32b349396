import type { TokenCredential } from '@azure/core-auth';
import { createDefaultHttpClient, type HttpClient, type PipelineRequest } from '@azure/core-rest-pipeline';
import type { AzureSeed } from '../src/index.js';

/** Any object with `getToken` passes the bearer policy; the emulator only checks that a token is sent. */
export const fakeCredential: TokenCredential = {
  getToken: async () => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

export interface RecordingHttpClient extends HttpClient {
  /** Every request sent, as the client built it (https URL) with its method. */
  readonly sent: Array<{ method: string; url: string }>;
}

/**
 * Keeps the clients' `https://management.azure.com` and rewrites it to the
 * emulator just before the socket opens, then restores it: core-lro reads
 * `response.request.url` for the final GET and the bearer policy refuses http.
 */
export function emulatorHttpClient(emulatorUrl: string): RecordingHttpClient {
  const inner = createDefaultHttpClient();
  const sent: Array<{ method: string; url: string }> = [];
  return {
    sent,
    async sendRequest(request: PipelineRequest) {
      const original = request.url;
      sent.push({ method: request.method, url: original });
      request.url = original.replace(/^https:\/\/management\.azure\.com/i, `${emulatorUrl}/azure`);
      request.allowInsecureConnection = true;
      try {
        return await inner.sendRequest(request);
      } finally {
        request.url = original;
      }
    },
  };
}

/** Small retry delays so SDK retries of injected faults cost little real time. */
export const fastRetries = { maxRetries: 3, retryDelayInMs: 5, maxRetryDelayInMs: 20 };

export const subscriptionId = '00000000-0000-0000-0000-0000000000aa';

/** The Azure half of the multi-cloud runbook: SQL failover group, Traffic Manager, AKS in the DR region. */
export function azureSeed(options: Partial<Pick<AzureSeed, 'lroUrls'>> = {}): AzureSeed {
  return {
    ...options,
    subscriptions: [
      {
        id: subscriptionId,
        resourceGroups: [
          {
            name: 'aegis-rg',
            location: 'eastus',
            sqlServers: [
              { name: 'aegis-sql', location: 'East US' },
              { name: 'ledger-sql', location: 'East US', available: false },
            ],
            trafficManagerProfiles: [
              {
                name: 'aegis-tm',
                routingMethod: 'Priority',
                ttl: 30,
                monitor: { protocol: 'HTTPS', port: 443, path: '/health' },
                endpoints: [
                  {
                    name: 'primary-endpoint',
                    type: 'AzureEndpoints',
                    target: 'app-east.example.com',
                    targetResourceId:
                      '/subscriptions/x/resourceGroups/aegis-rg/providers/Microsoft.Web/sites/app-east',
                    priority: 1,
                    location: 'East US',
                  },
                  {
                    name: 'secondary-endpoint',
                    type: 'ExternalEndpoints',
                    target: 'app-west.example.com',
                    priority: 2,
                    location: 'West US',
                  },
                ],
              },
              {
                name: 'aegis-weighted',
                routingMethod: 'Weighted',
                ttl: 60,
                endpoints: [
                  { name: 'east', target: 'east.example.com', weight: 100 },
                  { name: 'west', target: 'west.example.com', weight: 1, healthy: false },
                ],
              },
            ],
          },
          {
            name: 'aegis-dr-rg',
            location: 'westus',
            sqlServers: [
              { name: 'aegis-dr-sql', location: 'West US' },
              { name: 'ledger-dr-sql', location: 'West US' },
            ],
            managedClusters: [
              {
                name: 'aegis-dr-aks',
                location: 'West US 2',
                agentPools: [
                  { name: 'system', count: 1, mode: 'System' },
                  { name: 'agentpool', count: 2 },
                  { name: 'burst', count: 1, enableAutoScaling: true, minCount: 1, maxCount: 5 },
                  {
                    name: 'broken',
                    count: 1,
                    updateFailure: {
                      code: 'QuotaExceeded',
                      message:
                        'Operation could not be completed as it results in exceeding approved standardDSv2Family Cores quota.',
                    },
                  },
                ],
              },
            ],
          },
        ],
        sqlFailoverGroups: [
          {
            name: 'aegis-fog',
            primary: { resourceGroup: 'aegis-rg', server: 'aegis-sql' },
            secondaries: [{ resourceGroup: 'aegis-dr-rg', server: 'aegis-dr-sql' }],
            databases: ['orders', 'inventory'],
          },
          {
            name: 'ledger-fog',
            primary: { resourceGroup: 'aegis-rg', server: 'ledger-sql' },
            secondaries: [{ resourceGroup: 'aegis-dr-rg', server: 'ledger-dr-sql' }],
            readWriteEndpoint: { failoverPolicy: 'Manual' },
            databases: ['ledger'],
          },
        ],
      },
    ],
  };
}

/** A raw ARM request to the emulator, for what the SDK clients never send (no token, bad JSON...). */
export async function armFetch(
  emulatorUrl: string,
  method: string,
  path: string,
  options: { body?: string; token?: string | null; apiVersion?: string | null } = {},
): Promise<{
  status: number;
  headers: Headers;
  body: { error?: { code: string; message: string } } & Record<string, unknown>;
}> {
  const url = new URL(`${emulatorUrl}/azure${path}`);
  if (options.apiVersion !== null)
    url.searchParams.set('api-version', options.apiVersion ?? '2020-11-01-preview');
  const token = options.token === undefined ? 'fake-token' : options.token;
  const response = await fetch(url, {
    method,
    headers: {
      ...(token !== null && { authorization: `Bearer ${token}` }),
      ...(options.body !== undefined && { 'content-type': 'application/json' }),
    },
    ...(options.body !== undefined && { body: options.body }),
  });
  const text = await response.text();
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : {} };
}

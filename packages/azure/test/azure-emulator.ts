import type { TokenCredential } from '@azure/core-auth';
import { type Emulator, type EmulatorSeed, startEmulator } from '@failover/emulator';
import {
  type AzureProvider,
  type AzureSettings,
  createAzure,
  createEmulatorHttpClient,
} from '../src/index.js';

export const subscriptionId = '00000000-0000-0000-0000-0000000000aa';

/** Any `getToken` passes the bearer policy; the emulator only checks a token is sent. */
export const fakeCredential: TokenCredential = {
  getToken: async () => ({ token: 'fake-token', expiresOnTimestamp: Date.now() + 3_600_000 }),
};

type AzureSeed = NonNullable<EmulatorSeed['azure']>;

/**
 * The Azure half of the multi-cloud runbook (seed 001): Traffic Manager in
 * aegis-rg, the SQL failover group aegis-fog from East US to West US, and the
 * AKS cluster aegis-dr-aks in West US 2.
 */
export function runbookSeed(): AzureSeed {
  return {
    subscriptions: [
      {
        id: subscriptionId,
        resourceGroups: [
          {
            name: 'aegis-rg',
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
                    targetResourceId: `/subscriptions/${subscriptionId}/resourceGroups/aegis-rg/providers/Microsoft.Web/sites/app-east`,
                    priority: 1,
                    location: 'East US',
                  },
                  {
                    name: 'secondary-endpoint',
                    type: 'AzureEndpoints',
                    target: 'app-west.example.com',
                    targetResourceId: `/subscriptions/${subscriptionId}/resourceGroups/aegis-dr-rg/providers/Microsoft.Web/sites/app-west`,
                    priority: 2,
                    location: 'West US',
                  },
                ],
              },
              {
                name: 'degraded-tm',
                routingMethod: 'Priority',
                ttl: 30,
                endpoints: [
                  { name: 'healthy', target: 'ok.example.com', priority: 1 },
                  { name: 'sick', target: 'sick.example.com', priority: 2, healthy: false },
                ],
              },
              {
                name: 'aegis-weighted',
                routingMethod: 'Weighted',
                ttl: 60,
                endpoints: [
                  { name: 'east', target: 'east.example.com', weight: 100, priority: 1 },
                  { name: 'west', target: 'west.example.com', weight: 1, priority: 2 },
                ],
              },
            ],
          },
          {
            name: 'aegis-dr-rg',
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
                  { name: 'burst', count: 2, enableAutoScaling: true, minCount: 1, maxCount: 5 },
                  // Scaled to zero by its autoscaler.
                  { name: 'idle', count: 0, enableAutoScaling: true, minCount: 0, maxCount: 100 },
                  // Created with non-default settings that a GET-modify-PUT must carry back.
                  {
                    name: 'tuned',
                    count: 2,
                    osDiskType: 'Ephemeral',
                    kubeletDiskType: 'Temporary',
                    enableNodePublicIP: true,
                    enableEncryptionAtHost: true,
                    enableUltraSSD: true,
                    enableFIPS: true,
                    nodeImageVersion: 'AKSUbuntu-2204gen2fipscontainerd-202411.12.0',
                    maxSurge: '33%',
                  },
                  // The service sends no eTag for it.
                  { name: 'legacy', count: 2, eTag: false },
                  {
                    name: 'broken',
                    count: 1,
                    updateFailure: {
                      code: 'QuotaExceeded',
                      message: 'Operation results in exceeding quota limits of Core.',
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

export interface AzureWorld {
  emulator: Emulator;
  azure: AzureProvider;
  /** A second `createAzure` over the same emulator: a fresh process resuming from a journal. */
  freshAzure(overrides?: Partial<AzureSettings>): AzureProvider;
  mutatingCalls(): number;
  stop(): Promise<void>;
}

/** An emulator on a manual clock, and `createAzure` pointed at it with the real clients. */
export async function startAzureWorld(
  options: {
    settings?: Partial<AzureSettings>;
    durations?: Record<string, number>;
    lroUrls?: 'absolute' | 'relative';
  } = {},
): Promise<AzureWorld> {
  const emulator = await startEmulator({
    timeScale: 0,
    seed: { azure: { ...runbookSeed(), ...(options.lroUrls && { lroUrls: options.lroUrls }) } },
    durations: {
      'azure.sql.failover': 50_000,
      'azure.sql.forcedFailover': 20_000,
      'azure.aks.agentPoolUpdate': 90_000,
      'azure.trafficmanager.probe': 30_000,
      ...options.durations,
    },
  });
  const make = (overrides: Partial<AzureSettings> = {}) =>
    createAzure({
      subscriptionId,
      credential: fakeCredential,
      httpClient: createEmulatorHttpClient(emulator.url),
      time: emulator.clock,
      retryOptions: { maxRetries: 0 },
      // One try per request: the tests see each 429 as it comes.
      retry: { maxAttempts: 1 },
      ...options.settings,
      ...overrides,
    });
  return {
    emulator,
    azure: make(),
    freshAzure: make,
    mutatingCalls: () => emulator.requests.count({ mutating: true }),
    stop: () => emulator.stop(),
  };
}

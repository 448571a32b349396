// Binds the hybrid plan's providers (`route53`, `aurora`) to the AWS adapters on the real SDK
// clients, pointed at @failover/emulator; seeds the world; and binds what `failover watch`
// reads and where it reports:
// - `signals`: the us-east-1 API and checkout API probed from three vantage points. In the
//   demo they are loopback servers (HYBRID_API_URL); in production, probe runners in three
//   places (three regions' workers, a synthetic-monitoring API).
// - `notifier`: a webhook signed with HMAC-SHA256 (HYBRID_WEBHOOK_URL, HYBRID_WEBHOOK_SECRET).
import { createAws } from '@failover/aws';
import { defineProviders } from '@failover/cli';
import {
  createHttpProbeSource,
  fetchProbeRunner,
  type HttpProbeRunner,
  type SignalSourceV1,
  signedWebhookNotifier,
} from '@failover/core';
import type { EmulatorSeed } from '@failover/emulator';
import { hybrid } from './plan.js';

/** Route 53 failover records for api.ecommerce.com and the Aurora Global Database writing in us-east-1. */
export const seed: EmulatorSeed = {
  aws: {
    route53: {
      hostedZones: [
        {
          id: 'Z0ECOMMERCE0001',
          name: hybrid.record.zone,
          recordSets: [
            {
              name: hybrid.record.name,
              type: 'A',
              ttl: 60,
              values: ['192.0.2.10'],
              setIdentifier: 'us-east-1',
              failover: 'PRIMARY',
            },
            {
              name: hybrid.record.name,
              type: 'A',
              ttl: 60,
              values: ['198.51.100.10'],
              setIdentifier: 'us-west-2',
              failover: 'SECONDARY',
            },
          ],
        },
      ],
    },
    rds: {
      globalClusters: [
        {
          id: hybrid.database.id,
          engine: 'aurora-postgresql',
          engineVersion: '15.4',
          members: [
            {
              id: 'ecommerce-primary',
              region: 'us-east-1',
              writer: true,
              instances: ['ecommerce-primary-1'],
            },
            {
              id: 'ecommerce-secondary',
              region: 'us-west-2',
              lagMs: 40,
              instances: ['ecommerce-secondary-1'],
            },
          ],
        },
      ],
    },
  },
};

/** Three vantage points. Here each probes from this process; each could be a runner elsewhere. */
const vantagePoints: Record<string, HttpProbeRunner> = {
  'probe-us-west-2': fetchProbeRunner,
  'probe-eu-west-1': fetchProbeRunner,
  'probe-ap-northeast-1': fetchProbeRunner,
};

/** The signal sources the plan's watch checks read by id (the replication lag is declared in the plan). */
export function signals(): Record<string, SignalSourceV1> {
  const base = process.env.HYBRID_API_URL;
  if (!base) throw new Error('Set HYBRID_API_URL to the us-east-1 API (demo.ts starts a loopback one).');
  return {
    'api-us-east-1': createHttpProbeSource({ id: 'api-us-east-1', url: `${base}/health`, vantagePoints }),
    'checkout-us-east-1': createHttpProbeSource({
      id: 'checkout-us-east-1',
      url: `${base}/checkout/health`,
      json: [{ path: '$.status', equals: 'pass' }],
      vantagePoints,
    }),
  };
}

/** Where watch and run notifications go, when HYBRID_WEBHOOK_URL is set. */
export const notifier = process.env.HYBRID_WEBHOOK_URL
  ? signedWebhookNotifier({
      url: process.env.HYBRID_WEBHOOK_URL,
      secret: process.env.HYBRID_WEBHOOK_SECRET ?? 'demo-secret',
    })
  : undefined;

/** Any SigV4 signature passes: the emulator reads the region from the credential scope. */
const emulatorCredentials = { accessKeyId: 'AKIDEMULATOREXAMPLE', secretAccessKey: 'emulator-not-a-secret' };

export default defineProviders(({ emulator }) => {
  if (!emulator)
    throw new Error('These providers are bound to the emulator: use `failover watch --emulator`.');
  const aws = createAws({
    region: hybrid.targetRegion,
    credentials: emulatorCredentials,
    endpoints: {
      route53: `${emulator.url}/aws/route53`,
      rds: `${emulator.url}/aws/rds`,
      cloudwatch: `${emulator.url}/aws/monitoring`,
    },
    time: emulator.clock,
    clientConfig: { maxAttempts: 1 },
  });
  return {
    route53: aws.dnsProvider({ hostedZone: hybrid.record.zone }),
    aurora: aws.databaseFailover(),
  };
});

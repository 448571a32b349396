// Binds the weighted example's providers (`route53`, `aurora`) to the AWS adapters on the
// real SDK clients, pointed at @failover/emulator, and seeds the shop before the failover:
//
//   failover drill examples/failback/plan.ts --providers examples/failback/providers.ts
import { createAws } from '@failover/aws';
import { defineProviders, type EmulatorContext } from '@failover/cli';
import type { ProviderRegistry } from '@failover/core';
import type { EmulatorSeed } from '@failover/emulator';
import { shop } from './plan.js';

/**
 * `shop.example.com` as two weighted A records (us-east-1 weight 100, us-west-2 weight 0,
 * TTL 60 s) and the Aurora Global Database, writer in us-east-1, secondary in us-west-2
 * 40 ms behind.
 */
export const seed: EmulatorSeed = {
  aws: {
    route53: {
      hostedZones: [
        {
          id: 'Z0SHOPEXAMPLE01',
          name: shop.record.zone,
          recordSets: [
            {
              name: shop.record.name,
              type: 'A',
              ttl: 60,
              values: ['192.0.2.40'],
              setIdentifier: shop.primaryRegion,
              weight: 100,
            },
            {
              name: shop.record.name,
              type: 'A',
              ttl: 60,
              values: ['198.51.100.40'],
              setIdentifier: shop.drRegion,
              weight: 0,
            },
          ],
        },
      ],
    },
    rds: {
      globalClusters: [
        {
          id: shop.database.id,
          engine: 'aurora-postgresql',
          engineVersion: '15.4',
          members: [
            { id: 'shop-east', region: shop.primaryRegion, writer: true },
            { id: 'shop-west', region: shop.drRegion, lagMs: 40 },
          ],
        },
      ],
    },
  },
};

/** Any SigV4 signature passes: the emulator reads the region from the credential scope. */
const emulatorCredentials = { accessKeyId: 'AKIDEMULATOREXAMPLE', secretAccessKey: 'emulator-not-a-secret' };

/** The providers on the emulator at `emulator.url`, on its clock. */
export function emulatorProviders(emulator: EmulatorContext): ProviderRegistry {
  const aws = createAws({
    region: shop.drRegion,
    credentials: emulatorCredentials,
    endpoints: {
      route53: `${emulator.url}/aws/route53`,
      rds: `${emulator.url}/aws/rds`,
      cloudwatch: `${emulator.url}/aws/monitoring`,
    },
    time: emulator.clock,
    clientConfig: { maxAttempts: 1 },
  });
  return { route53: aws.dnsProvider({ hostedZone: shop.record.zone }), aurora: aws.databaseFailover() };
}

export default defineProviders(({ emulator }) => {
  if (!emulator) {
    throw new Error(
      'These providers are bound to the emulator: use `failover drill`, or `failover run --emulator`.',
    );
  }
  return emulatorProviders(emulator);
});

// The checkout service's two regions, as a simulated world for tests and dry-runs.
import { createVirtualTime, type ProviderRegistry, type Time } from '@failover/core';
import { createSimulatedWorld, type SimulatedWorld } from '@failover/testing';
import { checkout } from './checkout-failover-plan.js';

/**
 * A world where checkout runs in us-east-1: DNS answers with us-east-1 (failover
 * routing, priority 1), the database writer is there, and the us-west-2 standby pool
 * runs 2 nodes. Same seed, same simulated durations.
 */
export function checkoutWorld(seed = 1, time: Time = createVirtualTime()): SimulatedWorld {
  return createSimulatedWorld({ seed, time }).seed({
    regions: ['us-east-1', 'us-west-2'],
    dns: {
      zones: [
        {
          name: checkout.record.zone,
          records: [
            {
              name: checkout.record.name,
              type: checkout.record.type,
              ttl: 60,
              routing: 'failover',
              targets: [
                {
                  id: 'us-east-1',
                  values: ['198.51.100.7'],
                  priority: 1,
                  enabled: true,
                  location: 'us-east-1',
                },
                {
                  id: 'us-west-2',
                  values: ['203.0.113.7'],
                  priority: 2,
                  enabled: true,
                  location: 'us-west-2',
                },
              ],
            },
          ],
        },
      ],
    },
    databases: [
      {
        id: checkout.database.id,
        members: [
          { id: 'checkout-db-east', region: 'us-east-1', role: 'writer' },
          { id: 'checkout-db-west', region: 'us-west-2', role: 'reader' },
        ],
      },
    ],
    pools: [{ ...checkout.standbyPool, desired: 2, min: 2, max: 12 }],
  });
}

/** The plan's provider names bound to the world's simulated providers. */
export function simulatedProviders(world: SimulatedWorld): ProviderRegistry {
  return { dns: world.dnsProvider(), db: world.databaseFailover(), k8s: world.clusterScaler() };
}

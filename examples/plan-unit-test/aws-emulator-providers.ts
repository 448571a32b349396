// Binds the checkout plan's provider names to the AWS adapters, pointed at the emulator,
// and seeds the emulator with the checkout service's AWS resources. A providers module
// for the CLI:
//
//   failover drill examples/plan-unit-test/checkout-failover-plan.ts \
//     --providers examples/plan-unit-test/aws-emulator-providers.ts --dry-run
import { createAws } from '@failover/aws';
import { defineProviders } from '@failover/cli';
import type { EmulatorSeed } from '@failover/emulator';
import { checkout } from './checkout-failover-plan.js';

/** What the embedded emulator starts with: Route 53, an Aurora global database, EKS. */
export const seed: EmulatorSeed = {
  aws: {
    route53: {
      // Route 53 takes a failover target out of rotation by inverting its health check.
      healthChecks: [
        { id: 'hc-checkout-east', fqdn: 'checkout-us-east-1.example.net' },
        { id: 'hc-checkout-west', fqdn: 'checkout-us-west-2.example.net' },
      ],
      hostedZones: [
        {
          name: checkout.record.zone,
          recordSets: [
            {
              name: checkout.record.name,
              type: 'A',
              ttl: 60,
              values: ['198.51.100.7'],
              setIdentifier: 'us-east-1',
              failover: 'PRIMARY',
              healthCheckId: 'hc-checkout-east',
            },
            {
              name: checkout.record.name,
              type: 'A',
              ttl: 60,
              values: ['203.0.113.7'],
              setIdentifier: 'us-west-2',
              failover: 'SECONDARY',
              healthCheckId: 'hc-checkout-west',
            },
          ],
        },
      ],
    },
    rds: {
      globalClusters: [
        {
          id: checkout.database.id,
          members: [
            { id: 'checkout-db-east', region: 'us-east-1', writer: true },
            { id: 'checkout-db-west', region: 'us-west-2' },
          ],
        },
      ],
    },
    eks: {
      clusters: [
        {
          name: checkout.standbyPool.cluster,
          region: checkout.standbyPool.region,
          nodegroups: [{ name: checkout.standbyPool.pool, minSize: 2, maxSize: 12, desiredSize: 2 }],
        },
      ],
    },
  },
};

export default defineProviders(({ emulator }) => {
  if (!emulator)
    throw new Error('These providers talk to the emulator: use failover drill or run --emulator.');
  const aws = createAws({
    region: checkout.targetRegion,
    // The emulator reads the region from the signature and never checks it: any key pair will do.
    credentials: { accessKeyId: 'AKIDEMULATOR0000', secretAccessKey: 'emulator' },
    endpoints: {
      route53: `${emulator.url}/aws/route53`,
      rds: `${emulator.url}/aws/rds`,
      eks: `${emulator.url}/aws/eks`,
      // The Aurora provider reads replication lag from CloudWatch: without this line those
      // calls went to the real AWS endpoint.
      cloudwatch: `${emulator.url}/aws/monitoring`,
    },
    time: emulator.clock,
  });
  return { dns: aws.dnsProvider(), db: aws.databaseFailover(), k8s: aws.clusterScaler() };
});

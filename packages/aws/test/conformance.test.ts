import type { DnsRecordSet } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import {
  runClusterScalerConformance,
  runDatabaseFailoverConformance,
  runDnsProviderConformance,
} from '@failover/testing/conformance';
import { awsOn, mutations, startAwsEmulator, zoneId } from './aws-emulator.js';

// The three conformance suites against the emulator through the real SDK clients.
// Retries are off in the adapter and the SDK: the kit checks that throttling
// surfaces as a retryable error (the executor owns retrying).

const noRetries = { retry: { maxAttempts: 1 } } as const;
// AWS sends no Retry-After on throttling; the adapter suggests 1 s, which the kit compares with.
const timeouts = { retryAfterMs: 1_000 };

function hooks(emulator: Emulator, service: string, operations: Record<string, string>, stuckOn: string) {
  return {
    faults: {
      throttle: (operation: string, options: { count: number }) => {
        emulator.faults.add({
          fault: 'throttle',
          service,
          operation: operations[operation]!,
          times: options.count,
        });
      },
      stuck: () => {
        emulator.faults.add({ fault: 'stuck', service, operation: stuckOn, times: 1 });
      },
      // Applied, then a 500: the kit's "answer was lost" case.
      loseAnswer: (operation: string) => {
        emulator.faults.add({
          fault: 'applied-then-500',
          service,
          operation: operations[operation]!,
          times: 1,
        });
      },
    },
    mutatingCalls: () => mutations(emulator, service),
    time: emulator.clock,
    teardown: () => emulator.stop(),
  };
}

runDnsProviderConformance({
  name: 'aws.route53 on the emulator',
  timeouts,
  async setup() {
    const emulator = await startAwsEmulator();
    const failover = (id: string, value: string, priority: number, healthCheckId: string) => ({
      id,
      values: [value],
      priority,
      enabled: true,
      healthCheckId,
    });
    return {
      provider: awsOn(emulator, noRetries).dnsProvider(),
      fixture: {
        failover: {
          ref: { zone: zoneId, name: 'api.ecommerce.com', type: 'A' },
          seeded: {
            name: 'api.ecommerce.com.',
            type: 'A',
            ttl: 60,
            routing: 'failover',
            targets: [
              failover('primary', '192.0.2.10', 1, 'hc-primary'),
              failover('secondary', '198.51.100.10', 2, 'hc-secondary'),
            ],
          },
        },
        weighted: {
          ref: { zone: 'ecommerce.com', name: 'www.ecommerce.com.', type: 'A' },
          seeded: {
            name: 'www.ecommerce.com.',
            type: 'A',
            ttl: 60,
            routing: 'weighted',
            targets: [
              { id: 'east', values: ['192.0.2.20'], weight: 100, enabled: true },
              { id: 'west', values: ['198.51.100.20'], weight: 0, enabled: true },
            ],
          },
        },
        missing: { zone: zoneId, name: 'new.ecommerce.com', type: 'A' },
        // Issue 11: a fence of a target without a health check used to pass the dry-run.
        refusals: [
          {
            title: 'fencing a target that has no health check',
            kind: 'invalid-input',
            desired: (observed) => {
              const current = observed as DnsRecordSet;
              return {
                ...current,
                targets: current.targets.map(({ health: _health, healthCheckId: _check, ...target }) =>
                  target.priority === 1 ? { ...target, enabled: false } : target,
                ),
              };
            },
          },
        ],
      },
      ...hooks(
        emulator,
        'aws.route53',
        {
          getRecordSet: 'ListResourceRecordSets',
          ensureRecordSet: 'ChangeResourceRecordSets',
          waitForChange: 'GetChange',
        },
        'ChangeResourceRecordSets',
      ),
    };
  },
});

// The Aurora provider reads replication lag from the emulator's CloudWatch (`awsOn` points the
// `cloudwatch` endpoint there): it declares `replicationLag`, so the lag case runs, not skipped.
runDatabaseFailoverConformance({
  name: 'aws.aurora on the emulator',
  timeouts,
  async setup() {
    const emulator = await startAwsEmulator();
    const provider = awsOn(emulator, noRetries).databaseFailover({ region: 'us-east-1' });
    if (!provider.capabilities.replicationLag) throw new Error('aws.aurora must declare replicationLag');
    return {
      provider,
      fixture: {
        database: { id: 'ecommerce-global' },
        writerRegion: 'us-east-1',
        standbyRegion: 'us-west-2',
        emptyRegion: 'eu-west-1',
        missing: { id: 'no-such-global-cluster' },
      },
      ...hooks(
        emulator,
        'aws.rds',
        {
          describe: 'DescribeGlobalClusters',
          ensureWriter: 'SwitchoverGlobalCluster',
          waitForWriter: 'DescribeGlobalClusters',
        },
        'SwitchoverGlobalCluster',
      ),
    };
  },
});

runClusterScalerConformance({
  name: 'aws.eks on the emulator',
  timeouts,
  async setup() {
    const emulator = await startAwsEmulator();
    return {
      provider: awsOn(emulator, noRetries).clusterScaler(),
      fixture: {
        pool: { cluster: 'ecommerce-prod', pool: 'primary', region: 'us-west-2' },
        seeded: { desired: 2, min: 1, max: 10 },
        missing: { cluster: 'ecommerce-prod', pool: 'nope', region: 'us-west-2' },
      },
      ...hooks(
        emulator,
        'aws.eks',
        {
          describePool: 'DescribeNodegroup',
          ensureSize: 'UpdateNodegroupConfig',
          waitForPool: 'DescribeUpdate',
        },
        'UpdateNodegroupConfig',
      ),
    };
  },
});

import type { DnsRecordSet } from '@failover/core';
import type { SimulatedSeed, SimulatedWorld } from '../src/index.js';

export const apiRecord: DnsRecordSet = {
  name: 'api.example.com.',
  type: 'A',
  ttl: 60,
  routing: 'failover',
  targets: [
    {
      id: 'primary',
      values: ['192.0.2.10'],
      priority: 1,
      enabled: true,
      healthCheckId: 'hc-use1',
      location: 'us-east-1',
    },
    {
      id: 'secondary',
      values: ['198.51.100.10'],
      priority: 2,
      enabled: true,
      healthCheckId: 'hc-euw1',
      location: 'eu-west-1',
    },
  ],
};

export const webRecord: DnsRecordSet = {
  name: 'www.example.com.',
  type: 'CNAME',
  ttl: 60,
  routing: 'weighted',
  targets: [
    { id: 'use1', values: ['lb-use1.example.net.'], weight: 100, enabled: true, location: 'us-east-1' },
    { id: 'euw1', values: ['lb-euw1.example.net.'], weight: 0, enabled: true, location: 'eu-west-1' },
  ],
};

/** The weighted app record's reference, in the `example.com.` zone. */
export const appRecordRef = { zone: 'example.com.', name: 'app.example.com.', type: 'CNAME' };

/** A weighted app record with `use1` (us-east-1) and `euw1` (eu-west-1) at the given weights. */
export const weightedAppRecord = (use1: number, euw1: number): DnsRecordSet => ({
  name: 'app.example.com.',
  type: 'CNAME',
  ttl: 60,
  routing: 'weighted',
  targets: [
    { id: 'use1', values: ['lb-use1.example.net.'], weight: use1, enabled: true, location: 'us-east-1' },
    { id: 'euw1', values: ['lb-euw1.example.net.'], weight: euw1, enabled: true, location: 'eu-west-1' },
  ],
});

export const otherRecords: DnsRecordSet[] = [
  {
    name: 'static.example.com.',
    type: 'A',
    ttl: 300,
    routing: 'simple',
    targets: [{ id: 'only', values: ['192.0.2.50'], enabled: true }],
  },
  {
    name: 'jobs.example.com.',
    type: 'A',
    ttl: 60,
    routing: 'priority',
    targets: [
      { id: 'use1', values: ['192.0.2.20'], priority: 1, enabled: true, location: 'us-east-1' },
      { id: 'euw1', values: ['198.51.100.20'], priority: 2, enabled: true, location: 'eu-west-1' },
      { id: 'apse1', values: ['203.0.113.20'], priority: 3, enabled: true, location: 'ap-southeast-1' },
    ],
  },
  {
    name: 'geo.example.com.',
    type: 'A',
    ttl: 60,
    routing: 'geo',
    targets: [
      { id: 'eu', values: ['198.51.100.30'], enabled: true, location: 'EU' },
      { id: 'na', values: ['192.0.2.30'], enabled: true, location: 'NA' },
    ],
  },
];

export const standardSeed: SimulatedSeed = {
  regions: ['us-east-1', 'eu-west-1'],
  dns: {
    healthChecks: [
      { id: 'hc-use1', region: 'us-east-1' },
      { id: 'hc-euw1', region: 'eu-west-1' },
    ],
    zones: [{ name: 'example.com.', id: 'Z123', records: [apiRecord, webRecord, ...otherRecords] }],
  },
  databases: [
    {
      id: 'orders',
      members: [
        { id: 'orders-use1', region: 'us-east-1', role: 'writer' },
        { id: 'orders-euw1', region: 'eu-west-1', role: 'reader' },
      ],
    },
  ],
  pools: [
    { cluster: 'prod-use1', pool: 'general', region: 'us-east-1', desired: 6, min: 3, max: 12 },
    { cluster: 'prod-euw1', pool: 'general', region: 'eu-west-1', desired: 2, min: 1, max: 12 },
  ],
};

/** Conformance hooks over a simulated world. */
export function simulatorHooks(world: SimulatedWorld) {
  return {
    faults: {
      throttle: (operation: string, o: { count: number; retryAfterMs: number }) =>
        world.faults.schedule({
          operation: operation as never,
          count: o.count,
          fault: { kind: 'throttled', retryAfterMs: o.retryAfterMs },
        }),
      stuck: (operation: string) =>
        world.faults.schedule({ operation: operation as never, fault: { kind: 'stuck' } }),
      loseAnswer: (operation: string) =>
        world.faults.schedule({ operation: operation as never, fault: { kind: 'lost-answer' } }),
    },
    mutatingCalls: () => world.calls({ mutating: true }).length,
    time: world.time,
  };
}

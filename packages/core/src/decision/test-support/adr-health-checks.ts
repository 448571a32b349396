import type { HealthCheckSpec } from '../health-check-spec.js';

/**
 * ADR 039's health checks, its seconds in milliseconds: the one table the core's
 * scenario tests on fakes and the e2e scenarios on the emulator both run.
 */
export const adrChecks: HealthCheckSpec[] = [
  {
    name: 'region-connectivity',
    class: 'critical',
    role: 'region',
    signal: 'region',
    intervalMs: 10_000,
    failureThreshold: 3,
    timeoutMs: 5_000,
  },
  {
    name: 'database-master',
    class: 'critical',
    role: 'database-writer',
    signal: 'database',
    intervalMs: 10_000,
    failureThreshold: 3,
    timeoutMs: 5_000,
  },
  {
    name: 'order-service',
    class: 'critical',
    role: 'service',
    signal: 'orders',
    intervalMs: 30_000,
    failureThreshold: 2,
    timeoutMs: 10_000,
  },
  {
    name: 'payment-service',
    class: 'critical',
    role: 'service',
    signal: 'payments',
    intervalMs: 30_000,
    failureThreshold: 2,
    timeoutMs: 10_000,
  },
  {
    name: 'inventory-service',
    class: 'important',
    role: 'service',
    signal: 'inventory',
    intervalMs: 30_000,
    failureThreshold: 3,
    timeoutMs: 10_000,
  },
  {
    name: 'error-rate',
    class: 'important',
    role: 'error-rate',
    signal: 'errors',
    condition: { type: 'at-most', value: 0.1 },
    intervalMs: 60_000,
    failureThreshold: 5,
    timeoutMs: 30_000,
  },
  {
    name: 'response-time',
    class: 'informational',
    role: 'latency',
    signal: 'latency',
    condition: { type: 'at-most', value: 1_000 },
    intervalMs: 60_000,
    failureThreshold: 5,
    timeoutMs: 30_000,
  },
];

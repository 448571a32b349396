import type { FailoverPlan } from '../../plan/failover-plan.js';
import type { ActionStep, PlanStep, VerifyStep, WaitStep } from '../../plan/step.js';
import type { ExecutorEvent } from '../executor-event.js';

/** A plan around `steps`, failing over from us-east-1 to eu-west-1. */
export function testPlan(steps: PlanStep[], extra: Partial<FailoverPlan> = {}): FailoverPlan {
  return {
    version: 1,
    id: 'test-plan',
    name: 'Test plan',
    sourceRegion: 'us-east-1',
    targetRegion: 'eu-west-1',
    steps,
    ...extra,
  };
}

export const waitStep = (id: string, durationMs: number, dependsOn?: string[]): WaitStep => ({
  id,
  kind: 'wait',
  durationMs,
  ...(dependsOn && { dependsOn }),
});

/** Switches `record` of provider `dns` to its secondary target. */
export const dnsSwitch = (id: string, record: string, extra: Partial<ActionStep> = {}): ActionStep => ({
  id,
  kind: 'action',
  action: { type: 'dns', provider: 'dns', record: { name: record }, desired: { activeTarget: 'secondary' } },
  ...extra,
});

/** Moves the writer of `db` (provider `db`) to eu-west-1, planned. */
export const dbSwitch = (id: string, extra: Partial<ActionStep> = {}): ActionStep => ({
  id,
  kind: 'action',
  action: {
    type: 'database',
    provider: 'db',
    database: { id: 'orders' },
    region: 'eu-west-1',
    mode: 'planned',
  },
  ...extra,
});

/** Scales pool eu/workers (provider `k8s`) to `size`. */
export const scaleTo = (id: string, size: number, extra: Partial<ActionStep> = {}): ActionStep => ({
  id,
  kind: 'action',
  action: { type: 'scale', provider: 'k8s', pool: { cluster: 'eu', pool: 'workers' }, desired: size },
  ...extra,
});

/** Verifies that `record` sends traffic to the secondary. */
export const verifySecondary = (id: string, record: string, extra: Partial<VerifyStep> = {}): VerifyStep => ({
  id,
  kind: 'verify',
  check: { type: 'dns-active-target', provider: 'dns', record: { name: record }, target: 'secondary' },
  timeoutMs: 60_000,
  intervalMs: 1_000,
  ...extra,
});

/** Collects events, with helpers to query them. */
export function eventLog() {
  const events: ExecutorEvent[] = [];
  return {
    events,
    onEvent: (event: ExecutorEvent) => {
      events.push(event);
    },
    ofType<T extends ExecutorEvent['type']>(type: T) {
      return events.filter((event): event is Extract<ExecutorEvent, { type: T }> => event.type === type);
    },
  };
}

import type { DnsDesiredState } from '../providers/dns/dns-desired-state.js';
import type { DnsRecordRef, DnsRouting, DnsTarget } from '../providers/dns/dns-record-set.js';
import { type ActionOptions, actionStep, definedOnly } from './plan-step-options.js';
import type { ProviderName } from './refs.js';
import type { ActionStep } from './step.js';

/** Which record set, on which provider. */
export interface DnsStepTarget {
  provider: ProviderName;
  record: DnsRecordRef;
  /** Wait until the change is live before the step ends. Default true. */
  waitForSync?: boolean;
}

const dnsStep = (
  id: string,
  on: DnsStepTarget,
  desired: DnsDesiredState,
  options?: ActionOptions,
): ActionStep =>
  actionStep(
    id,
    { type: 'dns', provider: on.provider, record: { ...on.record }, desired, waitForSync: on.waitForSync },
    options,
  );

/**
 * DNS and traffic-manager actions, as desired state: each observes the record
 * set and changes only what differs.
 *
 * @example
 * dns.fence('fence-primary', { provider: 'dns', record: { zone: 'Z1', name: 'api.example.com.' }, target: 'primary' })
 * dns.switchActive('switch', { provider: 'dns', record, target: 'secondary' }, { dependsOn: ['promote'] })
 * dns.setWeights('failback-10', { provider: 'dns', record, weights: { primary: 10, secondary: 90 } })
 */
export const dns = {
  /** Makes `target` the one taking traffic: primary (failover), priority 1, or all the weight. */
  switchActive: (id: string, on: DnsStepTarget & { target: string }, options?: ActionOptions) =>
    dnsStep(id, on, { activeTarget: on.target }, options),
  /** Sets the weight of each named target; unnamed targets keep theirs. */
  setWeights: (
    id: string,
    on: DnsStepTarget & { weights: Record<string, number> },
    options?: ActionOptions,
  ) =>
    dnsStep(
      id,
      on,
      {
        targets: Object.fromEntries(
          Object.entries(on.weights).map(([target, weight]) => [target, { weight }]),
        ),
      },
      options,
    ),
  /** Sets the TTL (seconds); lower it well before a failover. */
  setTtl: (id: string, on: DnsStepTarget & { ttl: number }, options?: ActionOptions) =>
    dnsStep(id, on, { ttl: on.ttl }, options),
  /** Takes `target` out of rotation. */
  disableTarget: (id: string, on: DnsStepTarget & { target: string }, options?: ActionOptions) =>
    dnsStep(id, on, { targets: { [on.target]: { enabled: false } } }, options),
  /** Puts `target` back into rotation. */
  enableTarget: (id: string, on: DnsStepTarget & { target: string }, options?: ActionOptions) =>
    dnsStep(id, on, { targets: { [on.target]: { enabled: true } } }, options),
  /**
   * Takes the old primary out of rotation and marks the step as fencing, which
   * a forced database failover needs before it. Not a traffic step for RTO.
   */
  fence: (id: string, on: DnsStepTarget & { target: string }, options?: ActionOptions) =>
    dnsStep(
      id,
      on,
      { targets: { [on.target]: { enabled: false } } },
      { traffic: false, ...options, fence: true },
    ),
  /**
   * Creates the record set when it is missing; when it exists, makes its TTL
   * and each listed target's values, weight and priority match. Whether an
   * existing target is enabled is left alone (see `enableTarget`).
   */
  upsert: (
    id: string,
    on: DnsStepTarget & { type: string; routing: DnsRouting; ttl: number; targets: DnsTarget[] },
    options?: ActionOptions,
  ) =>
    dnsStep(
      id,
      on,
      {
        ttl: on.ttl,
        targets: Object.fromEntries(
          on.targets.map((target) => [
            target.id,
            definedOnly({ values: [...target.values], weight: target.weight, priority: target.priority }),
          ]),
        ),
        createIfMissing: {
          type: on.type,
          routing: on.routing,
          ttl: on.ttl,
          targets: on.targets.map((target) => definedOnly({ ...target, values: [...target.values] })),
        },
      },
      options,
    ),
};

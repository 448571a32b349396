import type { DnsRecordSet, DnsTarget } from '../providers/dns/dns-record-set.js';

/**
 * The target that takes the traffic of a record set, the way its routing
 * expresses it: the enabled target with the best (lowest) priority for
 * failover and priority routing, the only enabled target with weight for
 * weighted routing, the only target otherwise. `undefined` when traffic is
 * split or nothing is enabled.
 */
export function activeDnsTarget(recordSet: DnsRecordSet): string | undefined {
  const enabled = recordSet.targets.filter((target) => target.enabled);
  switch (recordSet.routing) {
    case 'failover':
    case 'priority':
      return bestPriority(enabled)?.id;
    case 'weighted': {
      const weighted = enabled.filter((target) => (target.weight ?? 0) > 0);
      return weighted.length === 1 ? weighted[0]!.id : undefined;
    }
    default:
      return enabled.length === 1 ? enabled[0]!.id : undefined;
  }
}

function bestPriority(targets: DnsTarget[]): DnsTarget | undefined {
  let best: DnsTarget | undefined;
  for (const target of targets) {
    const priority = target.priority ?? Number.MAX_SAFE_INTEGER;
    if (!best || priority < (best.priority ?? Number.MAX_SAFE_INTEGER)) best = target;
  }
  return best;
}

import type { DnsRecordSet } from './dns-record-set.js';

/**
 * Each target's share of the traffic in a weighted record set, in percent:
 * enabled targets by weight. Empty when nothing takes traffic.
 */
export function trafficShares(set: DnsRecordSet): Record<string, number> {
  const live = set.targets.filter((target) => target.enabled && (target.weight ?? 0) > 0);
  const total = live.reduce((sum, target) => sum + (target.weight ?? 0), 0);
  const shares: Record<string, number> = {};
  for (const target of set.targets) shares[target.id] = 0;
  if (total <= 0) return {};
  for (const target of live) shares[target.id] = ((target.weight ?? 0) / total) * 100;
  return shares;
}

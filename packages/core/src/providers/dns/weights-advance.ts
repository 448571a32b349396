import type { DnsRecordSet } from './dns-record-set.js';
import { trafficShares } from './dns-traffic-shares.js';

/** How far a record set already is along an advance-only weighted step (`DnsDesiredState.advanceTowards`). */
export interface WeightsAdvance {
  /** The targets that gain on the way from the stage to the final shares: the leading side. */
  leading: string[];
  /** The leading side's share of the observed traffic, percent. */
  observedPercent: number;
  /** The leading side's share in the stage (`weightPercents`), percent. */
  stagePercent: number;
  /** The observed share is at or beyond the stage's: the stage's weights are left as they are. */
  inSync: boolean;
}

// Shares read back from service weights (Traffic Manager's 1-1000, Cloud DNS fractions) are not exact.
const tolerance = 1e-6;

/**
 * Whether `current` already carries at least the stage's (`stage`) share of the traffic
 * on the targets that gain on the way to `towards`. Pure; the same for every DNS service,
 * since shares are read from the record set's weights whatever their scale.
 *
 * `undefined` when it cannot say, so the stage's weights are set as usual: no target
 * gains between the stage and `towards` (the stage is the destination), the record set
 * is not weighted, or nothing in it takes traffic.
 */
export function weightsAdvance(
  current: DnsRecordSet,
  stage: Readonly<Record<string, number>>,
  towards: Readonly<Record<string, number>>,
): WeightsAdvance | undefined {
  const leading = Object.keys(towards).filter((id) => (towards[id] ?? 0) - (stage[id] ?? 0) > tolerance);
  if (leading.length === 0 || current.routing !== 'weighted') return undefined;
  const observed = trafficShares(current);
  if (Object.keys(observed).length === 0) return undefined;
  const onLeading = (shares: Readonly<Record<string, number>>) =>
    leading.reduce((sum, id) => sum + (shares[id] ?? 0), 0);
  const observedPercent = onLeading(observed);
  const stagePercent = onLeading(stage);
  return { leading, observedPercent, stagePercent, inSync: observedPercent >= stagePercent - tolerance };
}

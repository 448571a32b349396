import { err, ok, type Result } from 'neverthrow';
import { FailoverError } from '../../errors/failover-error.js';
import type { DnsTargetPatch } from './dns-desired-state.js';

/**
 * How a DNS service says a weight, declared by its adapter so a plan can give
 * portable percentages (`weightPercents`) and the core can tell, before any
 * call, whether the service can express them.
 */
export interface DnsWeightScale {
  /** The service weight that stands for 1 % (Route 53 and Cloud DNS: 1; Traffic Manager: 10). */
  perPercent: number;
  /** The largest weight the service accepts (Route 53 255, Traffic Manager 1000). */
  max: number;
  /** Weights must be whole numbers (Route 53, Traffic Manager); Cloud DNS takes fractions. */
  integer: boolean;
  /**
   * How 0 % is said: a weight of 0, or the target disabled (Traffic Manager has no
   * weight 0; a disabled endpoint takes no traffic and keeps its weight).
   */
  zero: 'weight' | 'disable';
}

const invalid = (message: string, path: string) =>
  new FailoverError({
    kind: 'invalid-input',
    message,
    provider: 'core',
    operation: 'mapWeightPercents',
    path,
  });

/**
 * The per-target patches that say `percents` on a service with `scale`. The
 * percentages must be 0 to 100 and sum to 100 (all traffic goes somewhere: an
 * all-zero weighted set means "equal shares" on Route 53); a share the service
 * cannot say exactly (a fraction of a whole weight) is an `invalid-input` error,
 * never a silent rounding.
 */
export function mapWeightPercents(
  percents: Readonly<Record<string, number>>,
  scale: DnsWeightScale,
): Result<Record<string, DnsTargetPatch>, FailoverError> {
  const entries = Object.entries(percents);
  let sum = 0;
  for (const [id, percent] of entries) {
    if (!Number.isFinite(percent) || percent < 0 || percent > 100)
      return err(
        invalid(`Target "${id}" has ${String(percent)} %; a share is 0 to 100.`, `weightPercents.${id}`),
      );
    sum += percent;
  }
  if (Math.abs(sum - 100) > 1e-9)
    return err(invalid(`The weight percentages sum to ${String(sum)}, not 100.`, 'weightPercents'));
  const patches: Record<string, DnsTargetPatch> = {};
  for (const [id, percent] of entries) {
    if (percent === 0 && scale.zero === 'disable') {
      patches[id] = { enabled: false };
      continue;
    }
    const weight = percent * scale.perPercent;
    if (scale.integer && Math.abs(weight - Math.round(weight)) > 1e-9)
      return err(
        invalid(
          `Target "${id}" at ${String(percent)} % would need weight ${String(weight)}; this service takes whole weights only (1 % = ${String(scale.perPercent)}).`,
          `weightPercents.${id}`,
        ),
      );
    const exact = scale.integer ? Math.round(weight) : weight;
    if (exact > scale.max)
      return err(
        invalid(
          `Target "${id}" at ${String(percent)} % would need weight ${String(exact)}, above this service's ${String(scale.max)}.`,
          `weightPercents.${id}`,
        ),
      );
    patches[id] = scale.zero === 'disable' ? { weight: exact, enabled: true } : { weight: exact };
  }
  return ok(patches);
}

/**
 * The desired state's per-target patches with its `weightPercents` said in the
 * service's weights: a percentage wins over nothing, and naming both a weight
 * and a percentage for one target is an error.
 */
export function withWeightPercents(
  targets: Readonly<Record<string, DnsTargetPatch>> | undefined,
  percents: Readonly<Record<string, number>> | undefined,
  scale: DnsWeightScale | undefined,
): Result<Record<string, DnsTargetPatch> | undefined, FailoverError> {
  if (percents === undefined) return ok(targets && { ...targets });
  if (!scale)
    return err(
      invalid(
        'This DNS provider declares no weight scale, so it cannot take weight percentages.',
        'weightPercents',
      ),
    );
  const mapped = mapWeightPercents(percents, scale);
  if (mapped.isErr()) return err(mapped.error);
  const merged: Record<string, DnsTargetPatch> = { ...targets };
  for (const [id, patch] of Object.entries(mapped.value)) {
    if (merged[id]?.weight !== undefined)
      return err(
        invalid(`Target "${id}" has both a weight and a weight percentage.`, `weightPercents.${id}`),
      );
    merged[id] = { ...merged[id], ...patch };
  }
  return ok(merged);
}

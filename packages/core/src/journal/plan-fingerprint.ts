import type { FailoverPlan } from '../plan/failover-plan.js';

/**
 * A short, stable fingerprint of a plan document (FNV-1a over its JSON), so a
 * journal is never resumed with a different version of the plan. Not a
 * security hash: it guards against mistakes, not against an adversary.
 */
export function planFingerprint(plan: FailoverPlan): string {
  const text = JSON.stringify(plan);
  let low = 0x811c9dc5;
  let high = 0x050c5d1f;
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index);
    low = Math.imul(low ^ code, 0x01000193);
    high = Math.imul(high ^ code, 0x01000193) ^ (low >>> 7);
  }
  return `${(high >>> 0).toString(16).padStart(8, '0')}${(low >>> 0).toString(16).padStart(8, '0')}-${text.length}`;
}

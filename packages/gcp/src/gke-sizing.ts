/**
 * How a total node count maps onto a GKE pool spread over `zones` zones. GKE
 * sizes a regional pool per zone (`setSize` of 2 on a three-zone pool gives 6
 * nodes), so a total must be a multiple of the zone count:
 * - `'reject'` (default): a total that is not a multiple is `invalid-input`;
 * - `'round-up'`: it is rounded up to the next multiple (7 on 3 zones → 3 per zone, 9 nodes).
 */
export type GkeSizeRounding = 'reject' | 'round-up';

/** Nodes per zone for a total, or a message when the total does not fit the zones. */
export function perZone(
  total: number,
  zones: number,
  rounding: GkeSizeRounding,
  what: string,
): number | string {
  if (total % zones === 0) return total / zones;
  if (rounding === 'round-up') return Math.ceil(total / zones);
  const lower = Math.floor(total / zones) * zones;
  return `The pool spans ${zones} zones and GKE sizes it per zone, so ${what} ${total} is not possible; ask for ${lower > 0 ? `${lower} or ` : ''}${lower + zones} (or use sizeRounding: 'round-up').`;
}

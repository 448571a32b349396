/**
 * The whole-percent shares of a canary stage at `percent` of the way from `from`
 * (the DR shares) to `to` (the original shares), summing to exactly 100 by the
 * largest remainder, so every service can say them.
 */
export function stageShares(
  from: Record<string, number>,
  to: Record<string, number>,
  percent: number,
): Record<string, number> {
  const ids = [...new Set([...Object.keys(from), ...Object.keys(to)])];
  const exact = ids.map((id) => ({
    id,
    value: ((to[id] ?? 0) * percent + (from[id] ?? 0) * (100 - percent)) / 100,
  }));
  const floors = exact.map((share) => ({ ...share, whole: Math.floor(share.value + 1e-9) }));
  let left = 100 - floors.reduce((sum, share) => sum + share.whole, 0);
  const byRemainder = [...floors].sort((a, b) => b.value - b.whole - (a.value - a.whole));
  for (const share of byRemainder) {
    if (left <= 0) break;
    share.whole += 1;
    left -= 1;
  }
  return Object.fromEntries(floors.map((share) => [share.id, share.whole]));
}

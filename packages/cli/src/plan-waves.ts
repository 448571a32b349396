import type { CompiledPlan } from '@failover/core';

/**
 * The plan's steps in waves: a step's wave is one more than the latest wave of the steps
 * it waits for, so the steps of one wave may run side by side once the waves before them
 * are done. A step's listed dependencies are a sufficient set (the rest are theirs,
 * transitively, and so in earlier waves), which makes one pass in topological order enough.
 */
export function planWaves(compiled: Pick<CompiledPlan, 'order' | 'steps'>): string[][] {
  const waveOf = new Map<string, number>();
  const waves: string[][] = [];
  for (const id of compiled.order) {
    let wave = 0;
    for (const dep of compiled.steps.get(id)?.deps ?? []) wave = Math.max(wave, (waveOf.get(dep) ?? -1) + 1);
    waveOf.set(id, wave);
    const members = waves[wave];
    if (members) members.push(id);
    else waves[wave] = [id];
  }
  return waves;
}

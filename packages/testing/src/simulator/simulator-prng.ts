/**
 * A small seeded pseudo-random generator (mulberry32). The simulator draws
 * every duration and every random fault from it, never from `Math.random`,
 * so the same seed replays the same run.
 */
export interface Prng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [min, max], both included. */
  int(min: number, max: number): number;
}

/** Creates a generator from a 32-bit seed. */
export function createPrng(seed: number): Prng {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  return {
    next,
    int: (min, max) => (max <= min ? min : min + Math.floor(next() * (max - min + 1))),
  };
}

/**
 * A stable 32-bit hash of a seed and labels. Independent streams (durations,
 * faults, latency) are forked from it, so drawing from one never shifts another.
 */
export function hashSeed(seed: number, ...labels: Array<string | number>): number {
  let h = (seed ^ 0x9e3779b9) >>> 0;
  for (const label of labels) {
    const text = String(label);
    for (let i = 0; i < text.length; i++) {
      h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
    }
    h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
    h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
    h = (h ^ (h >>> 16)) >>> 0;
  }
  return h;
}

/** A float in [0, 1) that depends only on the seed and the labels (no state). */
export function hash01(seed: number, ...labels: Array<string | number>): number {
  return hashSeed(seed, ...labels) / 4294967296;
}

/** Inclusive range of simulated milliseconds; a value is drawn uniformly from it with the world's seed. */
export type DurationRange = readonly [minMs: number, maxMs: number];

/** How long simulated operations take. Every value is drawn per operation from the seeded generator. */
export interface SimulatedDurations {
  /** A DNS change from accepted to in sync. Default 60–120 s. */
  dnsPropagation: DurationRange;
  /** A planned (no data loss) database switchover. Default 1–3 min. */
  plannedSwitchover: DurationRange;
  /** A forced (data-losing) database failover. Default 30–90 s. */
  forcedFailover: DurationRange;
  /** A node pool update, from accepted until every desired node is ready. Default 2–5 min. */
  poolScale: DurationRange;
  /** An update of an open-kind resource (`world.resourceProvider()`), until it takes effect. Default 20–60 s. */
  resourceUpdate: DurationRange;
  /** Latency of every simulated API request. Default 0 (calls return at once). */
  apiLatency: DurationRange;
  /** How long a request hit by a `timeout` fault hangs before failing. Default 30 s. */
  requestTimeout: DurationRange;
}

export const defaultDurations: Readonly<SimulatedDurations> = {
  dnsPropagation: [60_000, 120_000],
  plannedSwitchover: [60_000, 180_000],
  forcedFailover: [30_000, 90_000],
  poolScale: [120_000, 300_000],
  resourceUpdate: [20_000, 60_000],
  apiLatency: [0, 0],
  requestTimeout: [30_000, 30_000],
};

/** Merges overrides onto the defaults; throws a `RangeError` on a negative or inverted range (a test bug). */
export function resolveDurations(overrides: Partial<SimulatedDurations> = {}): SimulatedDurations {
  const durations = { ...defaultDurations, ...overrides };
  for (const [name, range] of Object.entries(durations)) {
    const [min, max] = range;
    if (!(Number.isFinite(min) && Number.isFinite(max) && min >= 0 && max >= min)) {
      throw new RangeError(
        `durations.${name} must be [min, max] with 0 <= min <= max, got [${min}, ${max}].`,
      );
    }
  }
  return durations;
}

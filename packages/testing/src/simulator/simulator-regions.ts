/** Regions of a simulated world (`world.regions`). A dark region answers nothing. */
export interface SimulatedRegions {
  /**
   * Takes a region down: every call addressed to it (a pool there, a zone whose control
   * plane is there, a provider created with that `region`) fails `unavailable`; database
   * members there turn `unavailable`; health checks of endpoints there turn unhealthy.
   */
  darken(region: string): void;
  /** Brings a dark region back. */
  restore(region: string): void;
  isDark(region: string | undefined): boolean;
  /** Every region the world knows: seeded ones and any darkened. */
  list(): string[];
}

export interface RegionsInternal extends SimulatedRegions {
  know(region: string | undefined): void;
}

export function createRegions(): RegionsInternal {
  const known = new Set<string>();
  const dark = new Set<string>();
  return {
    darken(region) {
      known.add(region);
      dark.add(region);
    },
    restore(region) {
      dark.delete(region);
    },
    isDark: (region) => region !== undefined && dark.has(region),
    list: () => [...known].sort(),
    know(region) {
      if (region !== undefined) known.add(region);
    },
  };
}

import type { ProviderRegistry } from '@failover/core';
import { type Emulator, startEmulator } from '@failover/emulator';
import providers, { scenarios, seed } from '../../examples/region-outage/providers.js';

/** The region-outage drill's world and the example's providers bound to it. */
export interface RegionOutageWorld {
  emulator: Emulator;
  providers: ProviderRegistry;
}

/**
 * Starts the region-outage drill's world, dark already (the scenario's
 * blackouts), with the example's providers bound to it. The caller stops the emulator.
 */
export async function regionOutageDarkWorld(): Promise<RegionOutageWorld> {
  const emulator = await startEmulator({ seed, timeScale: 120 });
  const bound = (
    providers as (context: { emulator: { url: string; clock: Emulator['clock'] } }) => ProviderRegistry
  )({ emulator: { url: emulator.url, clock: emulator.clock } });
  for (const blackout of scenarios['region-outage']!.blackouts) emulator.blackouts.add(blackout);
  return { emulator, providers: bound };
}

import type { EmulatorService, ServiceContext } from '../server/emulator-types.js';

/** What the emulator starts with on Gcp. */
// biome-ignore lint/complexity/noBannedTypes: placeholder until the gcp services land
export type GcpSeed = {};

/** The gcp services of the emulator. */
export function createGcpServices(_context: ServiceContext, _seed: GcpSeed = {}): EmulatorService[] {
  return [];
}

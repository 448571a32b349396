import type { EmulatorService, ServiceContext } from '../server/emulator-types.js';

/** What the emulator starts with on Azure. */
// biome-ignore lint/complexity/noBannedTypes: placeholder until the azure services land
export type AzureSeed = {};

/** The azure services of the emulator. */
export function createAzureServices(_context: ServiceContext, _seed: AzureSeed = {}): EmulatorService[] {
  return [];
}

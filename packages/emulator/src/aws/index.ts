import type { EmulatorService, ServiceContext } from '../server/emulator-types.js';

/** What the emulator starts with on Aws. */
// biome-ignore lint/complexity/noBannedTypes: placeholder until the aws services land
export type AwsSeed = {};

/** The aws services of the emulator. */
export function createAwsServices(_context: ServiceContext, _seed: AwsSeed = {}): EmulatorService[] {
  return [];
}

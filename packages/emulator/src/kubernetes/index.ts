import type { EmulatorService, ServiceContext } from '../server/emulator-types.js';

/** What the emulator starts with on Kubernetes. */
// biome-ignore lint/complexity/noBannedTypes: placeholder until the kubernetes services land
export type KubernetesSeed = {};

/** The kubernetes services of the emulator. */
export function createKubernetesServices(
  _context: ServiceContext,
  _seed: KubernetesSeed = {},
): EmulatorService[] {
  return [];
}

import type { EmulatorService, ServiceContext } from '../server/emulator-types.js';
import type { KubernetesSeed } from './kubernetes-seed.js';
import { createKubernetesService } from './kubernetes-service.js';

export type { KubernetesHpaSeed, KubernetesSeed, KubernetesWorkloadSeed } from './kubernetes-seed.js';
export { aksServerAppId, type KubernetesTokenScheme } from './kubernetes-token.js';
export type { VeleroBackupSeed, VeleroRestoreOutcomeSeed } from './kubernetes-velero.js';
export type { VeleroScheduleSeed } from './kubernetes-velero-schedule.js';

/** The Kubernetes apps/v1 subset of the emulator. */
export function createKubernetesServices(
  context: ServiceContext,
  seed: KubernetesSeed = {},
): EmulatorService[] {
  return [createKubernetesService(context, seed)];
}

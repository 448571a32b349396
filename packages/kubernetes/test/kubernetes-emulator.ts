import { type Emulator, type KubernetesSeed, startEmulator } from '@failover/emulator';

/** Starts the emulator with one cluster and returns the URL of its API server. */
export async function startKubernetesEmulator(
  cluster: NonNullable<KubernetesSeed['clusters']>[number],
  durations: Record<string, number> = {},
): Promise<{ emulator: Emulator; server: string }> {
  const emulator = await startEmulator({
    timeScale: 0,
    durations,
    seed: { kubernetes: { clusters: [cluster] } },
  });
  return { emulator, server: `${emulator.endpoint('kubernetes.apps')}/${cluster.name}` };
}

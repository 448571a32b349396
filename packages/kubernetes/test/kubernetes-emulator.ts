import type { Time } from '@failover/core';
import { type Emulator, type KubernetesSeed, startEmulator } from '@failover/emulator';
import { createKubernetesConnection, type KubernetesConnection } from '../src/index.js';

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

/** Time on the emulator's clock: waiting moves it, so a 60 s rollout takes no real time. */
export function emulatorTime(emulator: Emulator): Time {
  return {
    now: () => emulator.clock.now(),
    sleep: async (ms) => {
      emulator.clock.advance(ms);
    },
  };
}

/** A connection to the emulated API server (its certificate is self-signed; any token passes). */
export function connectToEmulator(server: string): KubernetesConnection {
  return createKubernetesConnection({ server, token: 't0k', skipTlsVerify: true })._unsafeUnwrap();
}

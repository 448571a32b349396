import type { ProvidersFactory } from '@failover/cli';
import type { FailoverPlan } from '@failover/core';
import { createEmulatorClock, type Emulator, startEmulator } from '@failover/emulator';
import providers, { seed } from '../../../../examples/aws-aurora-route53/providers.js';
import { type FailoverWorker, registerDeployment, serveWorker } from '../../src/index.js';
import { type RestateServer, startRestateServer } from './restate-server.js';

/** What a test stops in its afterAll, last pushed first. */
export type Cleanup = Array<() => Promise<unknown> | unknown>;

/** The aws-aurora-route53 example's emulator and its providers, on one clock at `timeScale`. */
export interface AuroraWorld {
  emulator: Emulator;
  clock: ReturnType<typeof createEmulatorClock>;
  registry: Awaited<ReturnType<ProvidersFactory>>;
}

/** Starts the example's emulator (seeded) and builds its providers against it. */
export async function startAuroraWorld(timeScale: number, cleanup: Cleanup): Promise<AuroraWorld> {
  const emulator = await startEmulator({ seed, timeScale });
  cleanup.push(() => emulator.stop());
  const clock = createEmulatorClock({ timeScale, startAt: emulator.clock.now() });
  const registry = await (providers as ProvidersFactory)({ emulator: { url: emulator.url, clock } });
  return { emulator, clock, registry };
}

/**
 * The example's world, one in-process worker `w1` serving `plan`, and a Restate server that
 * knows the worker: what a test submits a run to.
 */
export async function startAuroraOnRestate(
  binary: string,
  plan: FailoverPlan,
  timeScale: number,
  cleanup: Cleanup,
): Promise<AuroraWorld & { worker: FailoverWorker; server: RestateServer }> {
  const world = await startAuroraWorld(timeScale, cleanup);
  const { clock, registry } = world;
  // The worker closes once the server that holds its HTTP/2 connections has stopped.
  const worker = (
    await serveWorker({ plans: [plan], providers: registry, port: 0, clock, timeScale, workerId: 'w1' })
  )._unsafeUnwrap();
  cleanup.push(() => worker.close());
  const server = await startRestateServer(binary);
  cleanup.push(() => server.stop());
  (await registerDeployment(server.adminUrl, worker.url))._unsafeUnwrap();
  return { ...world, worker, server };
}

import { definePlan, dns, wait } from '@failover/core';
import { afterAll, describe, expect, it } from 'vitest';
import { ecommerce } from '../../../examples/aws-aurora-route53/plan.js';
import { type FailoverWorker, failoverRunClient, registerDeployment, serveWorker } from '../src/index.js';
import { startAuroraWorld } from './support/aurora-on-restate.js';
import { startWorkerProxy } from './support/failover-proxy.js';
import { freePort, restateServerBinary, startRestateServer } from './support/restate-server.js';

const binary = restateServerBinary();
// 20 minutes of plan time are 10 s of real time.
const timeScale = 120;
const soakMs = 20 * 60_000;

// Under CI the server binary must be there (the README's test command installs it): fail, never skip.
const runIt = binary !== undefined || process.env.CI === 'true' ? it : it.skip;

describe('a wait step under Restate', () => {
  const cleanup: Array<() => Promise<unknown> | unknown> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  }, 30_000);

  runIt(
    'is a durable wait: the worker that takes over waits only what is left of it',
    async () => {
      expect(binary, 'the @restatedev/restate-server binary for this platform').toBeDefined();
      const plan = definePlan({
        id: 'soak-then-switch',
        name: 'Soak, then switch DNS',
        sourceRegion: ecommerce.sourceRegion,
        targetRegion: ecommerce.targetRegion,
      })
        .step(wait('soak', soakMs, { timeoutMs: 2 * soakMs }))
        .step(
          dns.switchActive('switch-dns', {
            provider: 'route53',
            record: ecommerce.record,
            target: ecommerce.targetRegion,
          }),
        )
        .after('soak')
        .build()
        ._unsafeUnwrap();
      const { emulator, clock, registry } = await startAuroraWorld(timeScale, cleanup);
      const workers: FailoverWorker[] = [];
      for (const workerId of ['worker-a', 'worker-b']) {
        const worker = (
          await serveWorker({
            plans: [plan],
            providers: registry,
            port: await freePort(),
            clock,
            timeScale,
            workerId,
          })
        )._unsafeUnwrap();
        workers.push(worker);
        cleanup.push(() => worker.close());
      }
      const server = await startRestateServer(binary!);
      cleanup.push(() => server.stop());
      const proxy = await startWorkerProxy(workers.map((worker) => worker.port));
      cleanup.push(() => proxy.close());
      (await registerDeployment(server.adminUrl, `http://127.0.0.1:${proxy.port}`))._unsafeUnwrap();
      const client = failoverRunClient(server.ingressUrl);

      const submittedAt = emulator.clock.now();
      (await client.submit('run-w', { planId: plan.id }))._unsafeUnwrap();
      // Worker A dies 12 minutes into the 20-minute wait.
      while (emulator.clock.now() - submittedAt < 12 * 60_000) await new Promise((r) => setTimeout(r, 20));
      expect((await client.status('run-w'))._unsafeUnwrap().ended).toEqual([]);
      expect(proxy.lastBackend).toBe(workers[0]!.port);
      await workers[0]!.close();

      const outcome = (await client.attach('run-w'))._unsafeUnwrap();
      const doneAt = emulator.clock.now();
      expect(outcome.status).toBe('succeeded');
      expect(outcome.workers.at(-1)).toBe('worker-b');
      // Worker B waited what was left (8 minutes), not the whole wait again (which would end past 32;
      // the DNS switch and Restate's retry take a few minutes of this 120x clock).
      expect(doneAt - submittedAt).toBeGreaterThanOrEqual(soakMs);
      expect(doneAt - submittedAt).toBeLessThan(soakMs + 8 * 60_000);
      // The run's clock is the journal's: the wait took exactly its 20 minutes there.
      const soak = outcome.report.steps.find((step) => step.id === 'soak')!;
      expect(soak.durationMs).toBe(soakMs);
      expect(emulator.requests.list({ mutating: true }).filter((entry) => entry.status < 400)).toHaveLength(
        1,
      );
    },
    90_000,
  );
});

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '@failover/cli';
import { runPlan } from '@failover/core';
import { createEmulatorClock, type Emulator, startEmulator } from '@failover/emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { multiCloudFailover } from '../../../examples/multi-cloud/plan.js';
import { emulatorProviders, seed } from '../../../examples/multi-cloud/providers.js';
import { bufferIo, spawnFailover } from '../../cli/test/cli-harness.js';
import { failoverRunClient, registerDeployment } from '../src/index.js';
import { startWorkerProxy, type WorkerProxy } from './support/failover-proxy.js';
import {
  freePort,
  type RestateServer,
  restateServerBinary,
  startRestateServer,
} from './support/restate-server.js';

const binary = restateServerBinary();
// Slow enough that the takeover (a second or two of real time) stays well inside the steps' deadlines.
const timeScale = 60;

/** A mutating request as the test compares them: which operation, on what. */
const mutations = (emulator: Emulator) =>
  emulator.requests
    .list({ mutating: true })
    .filter((entry) => entry.status < 400)
    .map((entry) => `${entry.operation} ${entry.path}`)
    .sort();

/** `failover worker` for the multi-cloud example, bound to the emulator, as a process of its own. */
function startWorker(id: string, port: number, emulatorUrl: string): Promise<ChildProcess> {
  const child = spawnFailover([
    'worker',
    'examples/multi-cloud/plan.ts',
    '--providers',
    'examples/multi-cloud/providers.ts',
    '--emulator',
    emulatorUrl,
    '--port',
    String(port),
    '--worker-id',
    id,
  ]);
  let output = '';
  return new Promise((resolveStarted, reject) => {
    child.stderr?.on('data', (chunk) => {
      output += String(chunk);
    });
    child.stdout?.on('data', (chunk) => {
      output += String(chunk);
      if (output.includes('listening')) resolveStarted(child);
    });
    child.once('exit', (code) =>
      reject(new Error(`worker ${id} exited (${code}) before listening:\n${output}`)),
    );
  });
}

// Under CI the server binary must be there (the README's test command installs it): fail, never skip.
const runIt = binary !== undefined || process.env.CI === 'true' ? it : it.skip;

describe('a plan run as a Restate workflow', () => {
  const cleanup: Array<() => Promise<unknown> | unknown> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  });

  runIt(
    'completes on the second worker after the first is SIGKILLed mid-promotion, each mutating call made once',
    async () => {
      expect(binary, 'the @restatedev/restate-server binary for this platform').toBeDefined();
      const plan = multiCloudFailover.build()._unsafeUnwrap();

      // What the plan sends when nothing goes wrong, one step at a time as the workflow runs it.
      const reference = await startEmulator({ seed, timeScale: 600 });
      cleanup.push(() => reference.stop());
      const referenceClock = createEmulatorClock({ timeScale: 600, startAt: reference.clock.now() });
      const local = await runPlan(plan, {
        providers: emulatorProviders({ url: reference.url, clock: referenceClock }),
        time: referenceClock,
        concurrency: 1,
      });
      expect(local._unsafeUnwrap().status).toBe('succeeded');
      const expected = mutations(reference);
      expect(expected.length).toBeGreaterThan(5);

      const emulator = await startEmulator({ seed, timeScale });
      cleanup.push(() => emulator.stop());
      const server: RestateServer = await startRestateServer(binary!);
      cleanup.push(() => server.stop());
      const [portA, portB] = [await freePort(), await freePort()];
      const workerA = await startWorker('worker-a', portA, emulator.url);
      cleanup.push(() => workerA.kill('SIGKILL'));
      const workerB = await startWorker('worker-b', portB, emulator.url);
      cleanup.push(() => workerB.kill('SIGKILL'));
      const proxy: WorkerProxy = await startWorkerProxy([portA, portB]);
      cleanup.push(() => proxy.close());
      (await registerDeployment(server.adminUrl, `http://127.0.0.1:${proxy.port}`))._unsafeUnwrap();

      // Submitted as an operator would: `failover run --engine restate`, which follows the run.
      const { io, text: out } = bufferIo({ env: {} });
      const reportPath = join(mkdtempSync(join(tmpdir(), 'failover-restate-')), 'report.json');
      const exited = runCli(
        [
          'run',
          'examples/multi-cloud/plan.ts',
          '--engine',
          'restate',
          '--restate-url',
          server.ingressUrl,
          '--run-id',
          'run-1',
          '--report',
          reportPath,
        ],
        io,
      );

      // Worker A runs it (the proxy prefers A while it lives); kill it once a promotion is under way.
      const promotion = /Switchover|Failover|failover|switchover|promote/;
      const deadline = Date.now() + 60_000;
      while (!emulator.requests.list({ mutating: true }).some((entry) => promotion.test(entry.operation))) {
        expect(Date.now(), 'a promotion request within 60 s').toBeLessThan(deadline);
        await new Promise((r) => setTimeout(r, 5));
      }
      const killedAt = emulator.clock.now();
      expect(proxy.lastBackend).toBe(portA);
      workerA.kill('SIGKILL');

      expect(await exited, out.stderr).toBe(0);
      expect(out.stdout).toContain('Run run-1 succeeded on worker-a then worker-b.');
      // The same run, attached again by its id, from any machine: Restate keeps its outcome.
      const outcome = (await failoverRunClient(server.ingressUrl).attach('run-1'))._unsafeUnwrap();
      expect(JSON.parse(readFileSync(reportPath, 'utf8')).runId).toBe('run-1');
      const status = (await failoverRunClient(server.ingressUrl).status('run-1'))._unsafeUnwrap();
      expect(status).toMatchObject({ state: 'finished', status: 'succeeded' });
      expect(status.ended.map((step) => step.stepId).sort()).toEqual(
        outcome.report.steps
          .filter((step) => step.status !== 'skipped')
          .map((step) => step.id)
          .sort(),
      );
      // And `failover report` reads it back from Restate, which keeps it with the run.
      const { io: reportIo, text: again } = bufferIo({ env: {} });
      expect(
        await runCli(['report', 'run-1', '--restate-url', server.ingressUrl, '--format', 'json'], reportIo),
      ).toBe(0);
      expect(JSON.parse(again.stdout)).toMatchObject({ runId: 'run-1', status: 'succeeded' });

      const failed = outcome.report.steps.filter((step) => step.status !== 'succeeded');
      expect(outcome.status, JSON.stringify({ error: outcome.report.error, failed })).toBe('succeeded');
      expect(outcome.workers).toEqual(['worker-a', 'worker-b']);
      expect(mutations(emulator)).toEqual(expected);
      // The report counts what the journal holds: the request worker A made for the call it
      // died in is in the cloud's log (above) but in no journal, and B's retry of that call
      // found it applied and sent nothing.
      const counted = outcome.report.apiCalls.total.mutatingApiCalls;
      expect(
        counted === expected.length || counted === expected.length - 1,
        `${counted} of ${expected.length}`,
      ).toBe(true);
      // The run's time line spans both workers: it began before the kill and ended after it.
      const started = Date.parse(outcome.report.startedAt);
      const ended = Date.parse(outcome.report.endedAt);
      expect(started).toBeLessThan(killedAt);
      expect(ended).toBeGreaterThan(killedAt);
    },
    120_000,
  );
});

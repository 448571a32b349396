// A worker process of the crash-and-take-over test: serves the failover workflow for the
// multi-cloud example's plan, its providers bound to the emulator at EMULATOR_URL.
import { createEmulatorClock } from '@failover/emulator';
import { multiCloudFailover } from '../../../../examples/multi-cloud/plan.js';
import { emulatorProviders } from '../../../../examples/multi-cloud/providers.js';
import { serveWorker } from '../../src/index.js';

const emulatorUrl = process.env.EMULATOR_URL ?? '';
const port = Number(process.env.WORKER_PORT ?? 0);
const remote = (await (await fetch(`${emulatorUrl}/_emulator/clock`)).json()) as {
  now: number;
  timeScale: number;
};
const clock = createEmulatorClock({ timeScale: remote.timeScale, startAt: remote.now });
const plan = multiCloudFailover.build();
if (plan.isErr()) throw plan.error;

const worker = await serveWorker({
  port,
  workerId: process.env.WORKER_ID ?? `worker-${process.pid}`,
  plans: [plan.value],
  providers: emulatorProviders({ url: emulatorUrl, clock }),
  clock,
  timeScale: remote.timeScale,
});
if (worker.isErr()) throw worker.error;
process.stdout.write(`listening ${worker.value.port}\n`);

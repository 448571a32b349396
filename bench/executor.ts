// Executor overhead on a large plan, on a virtual clock.
//
// Builds a 10,000-step plan of stages run one after another; each stage is a
// parallel group, either of sequential chains (wait steps and DNS actions
// mixed) or a wide fan-out of independent steps. DNS actions run against a
// trivial in-memory provider whose changes take a fixed time to sync on the
// virtual clock. Prints real CPU time per step, peak memory, and the virtual
// wall time against the critical path computed from the plan itself.
//
// `--shape wide` builds two parallel stages of `steps / 2` wait steps in a sequential
// group instead: every step of the second waits for every step of the first.
//
// `--sizes 5000,10000,40000,100000` runs each size in turn (cold run, then `--rounds`)
// and prints one line per size, to see whether CPU per step stays flat as plans grow.
// `--journal` keeps a file journal (in a temporary directory) as a CLI run with
// `--journal` does; otherwise there is none, as for a library caller. `--compare`
// alternates rounds without and with the journal in one process (the same load for
// both) and prints the ratio and the journal's syncs and writes per run;
// `--skip-syncs` makes fdatasync a no-op there, to see what the journal costs besides.
//
//   pnpm bench:executor [--steps 10000] [--concurrency 256] [--seed 42] [--rounds 3] [--shape stages|wide]
//                       [--sizes 5000,40000,100000] [--journal] [--compare [--skip-syncs]]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { getHeapStatistics } from 'node:v8';
// Imported from source by path: the workspace root does not depend on its own packages.
import {
  createFileJournal,
  createVirtualTime,
  type DnsProviderV1,
  type DnsRecordSet,
  type FailoverError,
  type FailoverPlan,
  okAsync,
  type PlanStep,
  ResultAsync,
  runPlan,
  validatePlan,
} from '../packages/core/src/index.js';
import { countJournalIo, type JournalIo } from './journal-io.js';

const { values: args } = parseArgs({
  options: {
    steps: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '256' },
    seed: { type: 'string', default: '42' },
    rounds: { type: 'string', default: '3' },
    shape: { type: 'string', default: 'stages' },
    sizes: { type: 'string' },
    journal: { type: 'boolean', default: false },
    compare: { type: 'boolean', default: false },
    'skip-syncs': { type: 'boolean', default: false },
  },
});
if (args.shape !== 'stages' && args.shape !== 'wide') throw new Error('--shape is stages or wide');
const totalSteps = Number(args.steps);
const concurrency = args.concurrency === 'Infinity' ? Number.POSITIVE_INFINITY : Number(args.concurrency);
const targetCpuMicrosPerStep = 50;

/** A small deterministic PRNG (mulberry32), so every run builds the same plan. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface BenchPlan {
  plan: FailoverPlan;
  /** Sync delay of each record the plan's DNS actions change. */
  propagationMs: Map<string, number>;
  /** The longest path through the plan, from its declared durations. */
  criticalPathMs: number;
  maxWidth: number;
}

/**
 * Stages in a sequential group. Even stages: `chains` sequential chains of
 * `chainLength` steps (every fifth a DNS action, the rest wait steps). Odd
 * stages: a fan-out of independent wait steps. The critical path is the sum,
 * over stages, of the longest chain (or the longest fan-out step).
 */
function buildPlan(steps: number, random: () => number): BenchPlan {
  const chains = 10;
  const chainLength = 20;
  const fanOut = 200;
  const propagationMs = new Map<string, number>();
  const stages: PlanStep[] = [];
  let made = 0;
  let criticalPathMs = 0;
  let maxWidth = 0;
  const duration = () => 1_000 + Math.floor(random() * 59_000);
  const leaf = (id: string, useDns: boolean): { step: PlanStep; ms: number } => {
    made++;
    const ms = duration();
    if (!useDns) return { step: { id, kind: 'wait', durationMs: ms }, ms };
    const name = `${id}.example.com.`;
    propagationMs.set(name, ms);
    return {
      step: {
        id,
        kind: 'action',
        action: { type: 'dns', provider: 'dns', record: { name }, desired: { activeTarget: 'secondary' } },
      },
      ms,
    };
  };

  for (let stage = 0; made < steps; stage++) {
    const id = `stage-${stage}`;
    const left = steps - made;
    if (stage % 2 === 0) {
      const groups: PlanStep[] = [];
      let longest = 0;
      const width = Math.min(chains, Math.ceil(left / chainLength));
      for (let chain = 0; chain < width && made < steps; chain++) {
        const members: PlanStep[] = [];
        let sum = 0;
        for (let position = 0; position < chainLength && made < steps; position++) {
          const { step, ms } = leaf(`${id}-c${chain}-s${position}`, position % 5 === 4);
          members.push(step);
          sum += ms;
        }
        groups.push({ id: `${id}-c${chain}`, kind: 'group', mode: 'sequential', steps: members });
        longest = Math.max(longest, sum);
      }
      maxWidth = Math.max(maxWidth, groups.length);
      stages.push({ id, kind: 'group', mode: 'parallel', steps: groups });
      criticalPathMs += longest;
    } else {
      const members: PlanStep[] = [];
      let longest = 0;
      for (let index = 0; index < fanOut && made < steps; index++) {
        const { step, ms } = leaf(`${id}-f${index}`, index % 4 === 0);
        members.push(step);
        longest = Math.max(longest, ms);
      }
      maxWidth = Math.max(maxWidth, members.length);
      stages.push({ id, kind: 'group', mode: 'parallel', steps: members });
      criticalPathMs += longest;
    }
  }

  const plan: FailoverPlan = {
    version: 1,
    id: 'bench-executor',
    name: `Executor bench (${steps} steps)`,
    sourceRegion: 'us-east-1',
    targetRegion: 'eu-west-1',
    steps: [{ id: 'stages', kind: 'group', mode: 'sequential', steps: stages }],
  };
  return { plan, propagationMs, criticalPathMs, maxWidth };
}

/** Two parallel stages of wait steps, one after the other: `width` × `width` dependencies. */
function buildWidePlan(steps: number, random: () => number): BenchPlan {
  const width = Math.ceil(steps / 2);
  const stages: PlanStep[] = [];
  let criticalPathMs = 0;
  for (const [stage, size] of [width, steps - width].entries()) {
    const durations = Array.from({ length: size }, () => 1_000 + Math.floor(random() * 59_000));
    const members = durations.map(
      (durationMs, index): PlanStep => ({ id: `stage-${stage}-w${index}`, kind: 'wait', durationMs }),
    );
    stages.push({ id: `stage-${stage}`, kind: 'group', mode: 'parallel', steps: members });
    criticalPathMs += Math.max(0, ...durations);
  }
  const plan: FailoverPlan = {
    version: 1,
    id: 'bench-executor-wide',
    name: `Executor bench, two wide stages (${steps} steps)`,
    sourceRegion: 'us-east-1',
    targetRegion: 'eu-west-1',
    steps: [{ id: 'stages', kind: 'group', mode: 'sequential', steps: stages }],
  };
  return { plan, propagationMs: new Map(), criticalPathMs, maxWidth: width };
}

/** A DNS provider reduced to a map; a change syncs after the record's delay on the virtual clock. */
function trivialDns(
  time: ReturnType<typeof createVirtualTime>,
  propagationMs: Map<string, number>,
): DnsProviderV1 {
  const records = new Map<string, DnsRecordSet>();
  const recordOf = (name: string): DnsRecordSet =>
    records.get(name) ?? {
      name,
      type: 'CNAME',
      ttl: 60,
      routing: 'failover',
      targets: [
        { id: 'primary', values: ['primary.example.com.'], priority: 1, enabled: true },
        { id: 'secondary', values: ['secondary.example.com.'], priority: 2, enabled: true },
      ],
    };
  return {
    specificationVersion: 'v1',
    kind: 'dns',
    provider: 'bench.dns',
    capabilities: { routing: ['failover'], disableTarget: true, createRecordSet: false, setTtl: true },
    getRecordSet: (ref, options) => {
      options?.onApiCall?.({ provider: 'bench.dns', operation: 'Get', mutating: false });
      return okAsync(recordOf(ref.name));
    },
    ensureRecordSet: (ref, desired, options) => {
      options?.onApiCall?.({ provider: 'bench.dns', operation: 'Change', mutating: true });
      const before = recordOf(ref.name);
      records.set(ref.name, desired);
      return okAsync({
        before,
        changed: true,
        handle: { provider: 'bench.dns', operation: 'Change', id: ref.name, startedAt: time.now() },
      });
    },
    waitForChange: (handle, options) => {
      options.onApiCall?.({ provider: 'bench.dns', operation: 'GetChange', mutating: false });
      return ResultAsync.fromSafePromise<void, FailoverError>(
        time.sleep(propagationMs.get(handle.id!) ?? 0, options.abortSignal),
      );
    },
  };
}

async function measure(steps: number, seed: number, withJournal = args.journal) {
  const bench = (args.shape === 'wide' ? buildWidePlan : buildPlan)(steps, prng(seed));
  const time = createVirtualTime();
  const dns = trivialDns(time, bench.propagationMs);
  let events = 0;
  let peakHeap = getHeapStatistics().used_heap_size;
  const onEvent = () => {
    // Sampling every event would cost more than the executor; every 256th is enough for a peak.
    if ((++events & 255) === 0) peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  };
  const dir = withJournal ? mkdtempSync(join(tmpdir(), 'failover-bench-journal-')) : undefined;
  const journal = dir ? createFileJournal(join(dir, 'journal.jsonl')) : undefined;
  const cpuBefore = process.cpuUsage();
  const realBefore = performance.now();
  const result = await runPlan(bench.plan, {
    providers: { dns },
    time,
    concurrency,
    onEvent,
    ...(journal && { journal }),
  });
  const realMs = performance.now() - realBefore;
  const cpu = process.cpuUsage(cpuBefore);
  if (dir) rmSync(dir, { recursive: true, force: true });
  peakHeap = Math.max(peakHeap, getHeapStatistics().used_heap_size);
  if (result.isErr()) throw new Error(`The bench plan did not run: ${result.error.message}`);
  return { bench, run: result.value, cpuMicros: cpu.user + cpu.system, realMs, peakHeap, events };
}

/** CPU time of `validatePlan` alone on the same plan: the part of runPlan that is plan validation. */
function measureValidation(plan: FailoverPlan, providers: Parameters<typeof validatePlan>[1]): number {
  const before = process.cpuUsage();
  validatePlan(plan, providers);
  const cpu = process.cpuUsage(before);
  return cpu.user + cpu.system;
}

const mib = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seed = Number(args.seed);
const rounds = Number(args.rounds);

if (args.compare) {
  // Rounds without and with the journal alternate, so both see the same load; each
  // journaled round's syncs and writes are counted in the process.
  const io = countJournalIo({ skipSyncs: args['skip-syncs'] });
  await measure(totalSteps, seed, false);
  await measure(totalSteps, seed, true);
  io.take();
  const plain: number[] = [];
  const journaled: number[] = [];
  const ios: JournalIo[] = [];
  for (let round = 0; round < rounds; round++) {
    plain.push((await measure(totalSteps, seed, false)).cpuMicros);
    journaled.push((await measure(totalSteps, seed, true)).cpuMicros);
    ios.push(io.take());
  }
  const ms = (micros: number) => `${(micros / 1000).toFixed(0)} ms`;
  const each = (values: number[], format: (value: number) => string) => values.map(format).join(', ');
  const ratio = median(journaled) / median(plain);
  console.log(
    `executor bench, journal compared: ${totalSteps} steps, concurrency ${concurrency}, seed ${seed}, ${rounds} interleaved rounds after a cold pair${args['skip-syncs'] ? ', fdatasync a no-op' : ''}`,
  );
  console.log(`  no journal                 CPU per run ${ms(median(plain))} (rounds ${each(plain, ms)})`);
  console.log(
    `  file journal               CPU per run ${ms(median(journaled))} (rounds ${each(journaled, ms)})`,
  );
  console.log(
    `  ratio                      ${ratio.toFixed(2)}x (target <= 2x) ${ratio <= 2 ? 'ok' : 'MISSED'}`,
  );
  const last = ios[ios.length - 1]!;
  console.log(
    `  journal I/O per run        ${last.syncs} fdatasync (${ms(median(ios.map((one) => one.syncCpuMicros)))} CPU in them, median), ${last.writes} writes, ${(last.bytes / 1024 / 1024).toFixed(1)} MiB`,
  );
  process.exit();
}

if (args.sizes !== undefined) {
  // One line per size: does CPU per step stay flat as the plan grows?
  const shapeName = args.shape === 'wide' ? 'two wide stages' : 'stages';
  console.log(
    `executor bench sweep: ${shapeName}, concurrency ${concurrency}, ${args.journal ? 'file journal' : 'no journal'}, seed ${seed}, median of ${rounds} after a cold run`,
  );
  let failed = false;
  for (const size of args.sizes.split(',').map(Number)) {
    await measure(size, seed);
    const measured: Awaited<ReturnType<typeof measure>>[] = [];
    for (let round = 0; round < rounds; round++) measured.push(await measure(size, seed));
    const cpu = median(measured.map((each) => each.cpuMicros));
    const last = measured[measured.length - 1]!;
    const wallMs = last.run.endedAt - last.run.startedAt;
    const ok = last.run.status === 'succeeded' && wallMs === last.bench.criticalPathMs;
    failed ||= !ok;
    console.log(
      `  ${String(size).padStart(7)} steps  CPU per step ${(cpu / size).toFixed(1).padStart(6)} µs  ` +
        `(rounds ${measured.map((each) => (each.cpuMicros / size).toFixed(1)).join(', ')})  ` +
        `heap ${mib(Math.max(...measured.map((each) => each.peakHeap)))}  ` +
        `wall ${ok ? '= critical path' : `${wallMs} ms, critical path ${last.bench.criticalPathMs} ms: DIFFERENT`}`,
    );
  }
  if (failed) process.exitCode = 1;
  process.exit();
}

// A cold first round (JIT warming up) reported apart, then measured rounds whose
// median is the figure: CPU time on a shared machine is noisy.
const cold = await measure(totalSteps, seed);
const cpuRounds: number[] = [];
let peakHeap = cold.peakHeap;
let last = cold;
for (let round = 0; round < rounds; round++) {
  last = await measure(totalSteps, seed);
  cpuRounds.push(last.cpuMicros);
  peakHeap = Math.max(peakHeap, last.peakHeap);
}
const { bench, run, realMs, events } = last;
const cpuMicros = median(cpuRounds);
const validationMicros = median(
  Array.from({ length: rounds }, () =>
    measureValidation(bench.plan, { providers: { dns: trivialDns(createVirtualTime(), new Map()) } }),
  ),
);

const wallMs = run.endedAt - run.startedAt;
const perStep = cpuMicros / totalSteps;
const peakRss = process.resourceUsage().maxRSS * 1024;
const failedSteps = run.steps.filter((step) => step.status !== 'succeeded').length;
const wallOk = wallMs === bench.criticalPathMs;
const cpuOk = perStep <= targetCpuMicrosPerStep;

console.log(`executor bench: ${bench.plan.name}, seed ${seed}`);
console.log(
  `  steps                      ${totalSteps} (max parallel width ${bench.maxWidth}, concurrency ${concurrency})`,
);
console.log(
  `  status                     ${run.status}${failedSteps > 0 ? ` (${failedSteps} steps not succeeded)` : ''}`,
);
console.log(`  events                     ${events}`);
console.log(`  API calls                  ${run.report.apiCalls.total.apiCalls}`);
console.log(
  `  CPU time                   ${(cpuMicros / 1000).toFixed(1)} ms, median of ${rounds} (rounds: ${cpuRounds.map((c) => (c / 1000).toFixed(0)).join(', ')} ms; real ${realMs.toFixed(1)} ms)`,
);
console.log(
  `  CPU time, cold first run   ${(cold.cpuMicros / 1000).toFixed(1)} ms (${(cold.cpuMicros / totalSteps).toFixed(1)} µs per step)`,
);
console.log(
  `  CPU per step               ${perStep.toFixed(1)} µs (target <= ${targetCpuMicrosPerStep} µs) ${cpuOk ? 'ok' : 'MISSED'}`,
);
console.log(
  `    of which validatePlan    ${(validationMicros / totalSteps).toFixed(1)} µs (schema, graph and provider checks, measured alone)`,
);
console.log(`  peak memory                RSS ${mib(peakRss)}, heap ${mib(peakHeap)} (sampled)`);
console.log(`  virtual wall time          ${wallMs} ms`);
console.log(`  critical path (from plan)  ${bench.criticalPathMs} ms ${wallOk ? 'equal' : 'DIFFERENT'}`);
console.log(
  `  critical path (report)     ${run.report.criticalPath.durationMs} ms over ${run.report.criticalPath.stepIds.length} steps`,
);
if (!wallOk || !cpuOk || run.status !== 'succeeded') process.exitCode = 1;

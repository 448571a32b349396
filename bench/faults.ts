// Every example drill under injected faults, many seeds per profile: completed/total per
// profile and drill, with why the others failed. A run counts as completed when it
// succeeds, a fault-free dry-run afterwards finds nothing left to change, and no mutation
// was applied more often than in a fault-free run (the emulator's request log).
//
//   node --conditions=@failover/source --import tsx bench/faults.ts [--seeds 20] [--rate 0.2]
//     [--time-scale 120] [--parallel 4] [--profile mixed]
//
// Exits 1 when a profile misses its target: 20 of 20 (every seed of every drill).
import { parseArgs } from 'node:util';
import { type FaultProfile, faultProfiles } from '@failover/emulator';
import { baselineOf, exampleDrills, type FaultDrillOutcome, runFaultDrill } from '../test/fault-drills.js';

const { values } = parseArgs({
  options: {
    seeds: { type: 'string', default: '20' },
    rate: { type: 'string', default: '0.2' },
    'time-scale': { type: 'string', default: '120' },
    parallel: { type: 'string', default: '4' },
    profile: { type: 'string', multiple: true },
  },
});
const seeds = Array.from({ length: Number(values.seeds) }, (_, index) => index + 1);
const rate = Number(values.rate);
const timeScale = Number(values['time-scale']);
const parallel = Number(values.parallel);
const profiles = (values.profile as FaultProfile[] | undefined) ?? [...faultProfiles];

async function pool<T>(jobs: ReadonlyArray<() => Promise<T>>, limit: number): Promise<T[]> {
  const results: T[] = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const index = next++;
      results[index] = await jobs[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, jobs.length) }, worker));
  return results;
}

console.log(
  `Fault profiles at ${rate * 100} % on every service, ${seeds.length} seeds, ${exampleDrills.length} drills, ${timeScale}x, ${parallel} at a time`,
);
const started = performance.now();
const baselines = await pool(
  exampleDrills.map((drill) => () => baselineOf(drill, timeScale)),
  parallel,
);

let missed = false;
console.log('\n| profile | drill | completed | faults injected (median) | RTO median |');
console.log('| --- | --- | ---: | ---: | ---: |');
for (const profile of profiles) {
  const jobs = seeds.flatMap((seed) =>
    exampleDrills.map(
      (drill, index) => () =>
        runFaultDrill(drill, { profile, rate, seed, timeScale, baseline: baselines[index]! }),
    ),
  );
  const outcomes = await pool(jobs, parallel);
  for (const drill of exampleDrills) {
    const mine = outcomes.filter((outcome) => outcome.drill === drill.name);
    const completed = mine.filter((outcome) => outcome.completed).length;
    if (completed < mine.length) missed = true;
    console.log(
      `| ${profile} | ${drill.name} | ${completed}/${mine.length} | ${median(mine.map((o) => o.faultsInjected))} | ${formatMs(median(mine.flatMap((o) => (o.rtoMs === undefined ? [] : [o.rtoMs]))))} |`,
    );
  }
  for (const outcome of outcomes.filter((o) => !o.completed)) console.log(`  failed: ${describe(outcome)}`);
}
console.log(`\n${((performance.now() - started) / 1000).toFixed(0)} s in all`);
process.exitCode = missed ? 1 : 0;

function describe(outcome: FaultDrillOutcome): string {
  const parts = [`${outcome.profile} ${outcome.drill} seed ${outcome.seed}: ${outcome.status}`];
  if (outcome.failure) parts.push(outcome.failure);
  if (outcome.notInDesiredState.length > 0)
    parts.push(`not in the desired state: ${outcome.notInDesiredState.join(', ')}`);
  if (outcome.appliedTwice.length > 0) parts.push(`applied twice: ${outcome.appliedTwice.join(', ')}`);
  return parts.join('; ');
}

function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return '-';
  const seconds = Math.round(ms / 1000);
  return `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;
}

// The main drill's RTO, run after run, on an idle machine and beside a CPU hog: on the
// deterministic clock (the drill's default) and on the scaled wall clock (600x). Each drill
// is `failover drill examples/multi-cloud/plan.ts` as a user runs it (a child process, from
// source); the hog is one busy-looping child process per core.
//
//   node --conditions=@failover/source --import tsx bench/drill-time.ts [--runs 2] [--hogs 2]
//
// Timeline: a digest of every step's start, end and attempts, so two runs that agree on it
// agree to the millisecond on every step, not just on the RTO.

import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { RunReport } from '@failover/core';

const { values } = parseArgs({
  options: { runs: { type: 'string', default: '2' }, hogs: { type: 'string' } },
});
const runs = Number(values.runs);
const hogs = Number(values.hogs ?? availableParallelism());
const repoRoot = fileURLToPath(new URL('../', import.meta.url));
const work = mkdtempSync(join(tmpdir(), 'failover-drill-time-'));

interface Outcome {
  status: string;
  rtoMs: number | null;
  timeline: string;
  wallMs: number;
}

async function drill(clock: string[], index: number): Promise<Outcome> {
  const reportPath = join(work, `report-${index}.json`);
  const started = performance.now();
  const child = spawn(
    process.execPath,
    [
      '--conditions=@failover/source',
      '--import',
      'tsx',
      'packages/cli/src/main.ts',
      'drill',
      'examples/multi-cloud/plan.ts',
      '--providers',
      'examples/multi-cloud/providers.ts',
      '--report',
      reportPath,
      ...clock,
    ],
    { cwd: repoRoot, stdio: 'ignore' },
  );
  const code = await new Promise<number | null>((resolve) => child.once('close', resolve));
  const wallMs = performance.now() - started;
  let report: RunReport;
  try {
    report = JSON.parse(readFileSync(reportPath, 'utf8')) as RunReport;
  } catch {
    throw new Error(`the drill exited with ${code} and wrote no report`);
  }
  const steps = report.steps.map((step) => [step.id, step.startedAt, step.endedAt, step.attempts]);
  return {
    status: report.status,
    rtoMs: report.rto.achievedMs,
    timeline: createHash('sha256').update(JSON.stringify(steps)).digest('hex').slice(0, 12),
    wallMs,
  };
}

/** One busy-looping process per core, stopped by their ids afterwards. */
async function withHog<T>(work: () => Promise<T>): Promise<T> {
  const children = Array.from({ length: hogs }, () =>
    spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }),
  );
  try {
    return await work();
  } finally {
    for (const child of children) child.kill();
  }
}

const format = (ms: number | null) =>
  ms === null ? 'not achieved' : `${Math.floor(ms / 60_000)}m ${((ms % 60_000) / 1000).toFixed(1)}s`;

const modes: Array<{ name: string; args: string[] }> = [
  { name: 'deterministic', args: [] },
  { name: 'scaled 600x', args: ['--clock', 'scaled', '--time-scale', '600'] },
];
console.log(`multi-cloud drill, ${runs} runs per row; hog: ${hogs} busy processes\n`);
console.log('| clock | machine | run | status | RTO | RTO (ms) | timeline | wall |');
console.log('|---|---|---|---|---|---|---|---|');
let index = 0;
try {
  for (const mode of modes) {
    for (const load of ['idle', 'CPU hog'] as const) {
      const measure = async () => {
        const outcomes: Outcome[] = [];
        for (let run = 0; run < runs; run++) outcomes.push(await drill(mode.args, index++));
        return outcomes;
      };
      const outcomes = load === 'idle' ? await measure() : await withHog(measure);
      outcomes.forEach((outcome, run) => {
        console.log(
          `| ${mode.name} | ${load} | ${run + 1} | ${outcome.status} | ${format(outcome.rtoMs)} | ${outcome.rtoMs} | ${outcome.timeline} | ${(outcome.wallMs / 1000).toFixed(1)} s |`,
        );
      });
    }
  }
} finally {
  rmSync(work, { recursive: true, force: true });
}

// How promptly each adapter's wait sees its operation finish, and with how many polls:
// every adapter of the multi-cloud example, its operation modelled by the emulator at
// lengths evenly spread over 0.67-1.33x the adapter's own nominal length; then at lengths
// evenly spread over 0.67-1.33x of 90 s, the wait told `expectedDurationMs: 90 s` (as a
// caller that knows the operation would). The emulator runs on a manual clock (time moves
// only when the adapter sleeps), so the figures are exact and the same on every machine.
//
//   node --conditions=@failover/source --import tsx bench/waits.ts [--points 9]
//
// Lateness: when the wait returned, minus when the operation finished (mutation + its
// modelled length). Polls: the wait's rounds, i.e. the distinct clock instants at which
// it sent requests (GKE reads the operation and the instance groups in each round: two
// requests per poll); the requests are printed too. Goal (issue 12): median <= 2 s late
// and <= 6 polls for a 90 s operation, for every adapter.

import { parseArgs } from 'node:util';
import type {
  ClusterScalerV1,
  DatabaseFailoverV1,
  DnsProviderV1,
  FailoverPlan,
  OperationHandle,
  PlanStep,
} from '@failover/core';
import { resolveDnsDesiredState } from '@failover/core';
import { startEmulator } from '@failover/emulator';
import multiCloudPlan from '../examples/multi-cloud/plan.js';
import { emulatorProviders, seed } from '../examples/multi-cloud/providers.js';

interface Subject {
  /** The plan step whose action is measured. */
  step: string;
  provider: string;
  /** The adapter's nominal length of the operation (what it passes as expectedDurationMs). */
  nominalMs: number;
  /** Emulator durations that make the operation take `ms` in all. */
  durations: (ms: number) => Record<string, number>;
}

const subjects: Subject[] = [
  {
    step: 'switch-route53',
    provider: 'aws-route53',
    nominalMs: 60_000,
    durations: (ms) => ({ 'route53.change': ms }),
  },
  // The switchover ends its modelled length after the secondary's lag (250 ms in the seed).
  {
    step: 'promote-aurora',
    provider: 'aws-aurora',
    nominalMs: 90_000,
    durations: (ms) => ({ 'aurora.switchover': ms - 250 }),
  },
  {
    step: 'scale-eks',
    provider: 'aws-eks',
    nominalMs: 180_000,
    durations: (ms) => ({ 'eks.nodegroup-update': 0, 'eks.node-ready': ms }),
  },
  {
    step: 'switch-traffic-manager',
    provider: 'azure-traffic-manager',
    nominalMs: 30_000,
    durations: (ms) => ({ 'azure.trafficmanager.probe': ms }),
  },
  {
    step: 'promote-azure-sql',
    provider: 'azure-sql',
    nominalMs: 60_000,
    durations: (ms) => ({ 'azure.sql.failover': ms }),
  },
  {
    step: 'scale-aks',
    provider: 'azure-aks',
    nominalMs: 180_000,
    durations: (ms) => ({ 'azure.aks.agentPoolUpdate': ms }),
  },
  {
    step: 'switch-cloud-dns',
    provider: 'gcp-cloud-dns',
    nominalMs: 30_000,
    durations: (ms) => ({ 'gcp.dns.change': ms }),
  },
  // The switchover adds the replica's lag (2 s in the seed) to its base length.
  {
    step: 'promote-cloud-sql',
    provider: 'gcp-cloud-sql',
    nominalMs: 180_000,
    durations: (ms) => ({ 'gcp.sql.switchover': ms - 2_000 }),
  },
  {
    step: 'scale-gke',
    provider: 'gcp-gke',
    nominalMs: 120_000,
    durations: (ms) => ({ 'gcp.gke.setSize': ms }),
  },
];

const plan = (multiCloudPlan as unknown as { toPlan(): FailoverPlan }).toPlan();

function leaf(steps: readonly PlanStep[], id: string): PlanStep | undefined {
  for (const step of steps) {
    if (step.id === id) return step;
    if (step.kind === 'group') {
      const found = leaf(step.steps, id);
      if (found) return found;
    }
  }
  return undefined;
}

interface Measure {
  lateMs: number;
  /** Wait rounds: distinct clock instants at which the wait sent requests. */
  polls: number;
  requests: number;
}

/**
 * Starts the subject's operation on a fresh emulator whose model takes `ms`, and waits for
 * it, telling the wait `expectedDurationMs` when given (else the adapter uses its own).
 */
async function measure(subject: Subject, ms: number, expectedDurationMs?: number): Promise<Measure> {
  const emulator = await startEmulator({
    seed: structuredClone(seed),
    timeScale: 0,
    durations: subject.durations(ms),
  });
  try {
    const providers = emulatorProviders({ url: emulator.url, clock: emulator.clock });
    const step = leaf(plan.steps, subject.step);
    if (step?.kind !== 'action') throw new Error(`no action step ${subject.step}`);
    const action = step.action;
    const waitOptions = {
      timeoutMs: 30 * 60_000,
      ...(expectedDurationMs !== undefined && { expectedDurationMs }),
    };
    let handle: OperationHandle | undefined;
    let wait: () => Promise<unknown>;
    if (action.type === 'dns') {
      const dns = providers[subject.provider] as DnsProviderV1;
      const current = (await dns.getRecordSet(action.record))._unsafeUnwrap();
      const desired = resolveDnsDesiredState(current, action.desired, action.record)._unsafeUnwrap();
      handle = (await dns.ensureRecordSet(action.record, desired))._unsafeUnwrap().handle;
      wait = async () => (await dns.waitForChange(handle!, waitOptions))._unsafeUnwrap();
    } else if (action.type === 'database') {
      const db = providers[subject.provider] as DatabaseFailoverV1;
      handle = (
        await db.ensureWriter(action.database, { region: action.region, mode: action.mode })
      )._unsafeUnwrap().handle;
      wait = async () => (await db.waitForWriter(handle!, waitOptions))._unsafeUnwrap();
    } else if (action.type === 'scale') {
      const cluster = providers[subject.provider] as ClusterScalerV1;
      const desired = typeof action.desired === 'number' ? action.desired : undefined;
      handle = (
        await cluster.ensureSize(action.pool, {
          ...(desired !== undefined && { desired }),
          ...(action.min !== undefined && { min: action.min }),
          ...(action.max !== undefined && { max: action.max }),
        })
      )._unsafeUnwrap().handle;
      wait = async () => (await cluster.waitForPool(handle!, waitOptions))._unsafeUnwrap();
    } else {
      throw new Error(`${subject.step}: no wait is measured for ${action.type} steps`);
    }
    if (!handle) throw new Error(`${subject.step}: nothing to wait for`);
    const mutation = emulator.requests.list({ mutating: true }).at(-1);
    if (!mutation) throw new Error(`${subject.step}: no mutation`);
    const before = emulator.requests.list().length;
    await wait();
    const doneAt = emulator.clock.now();
    const sent = emulator.requests.list().slice(before);
    return {
      lateMs: doneAt - (mutation.at + ms),
      polls: new Set(sent.map((request) => request.at)).size,
      requests: sent.length,
    };
  } finally {
    await emulator.stop();
  }
}

const { values: args } = parseArgs({ options: { points: { type: 'string', default: '9' } } });
const points = Math.max(2, Number(args.points));
/** `points` factors evenly spread over 0.67-1.33 (9: 0.67, 0.75, 0.83 ... 1.33). */
const factors = Array.from({ length: points }, (_, index) => 0.67 + (0.66 * index) / (points - 1));
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const seconds = (ms: number) => (ms / 1000).toFixed(1);
const ninetySeconds = 90_000;

function row(label: string, nominal: string, range: Measure[]): string {
  return `| ${label} | ${nominal} | ${range.map((m) => seconds(m.lateMs)).join(' / ')} | ${range.map((m) => m.polls).join(' / ')} | ${seconds(median(range.map((m) => m.lateMs)))} s / ${median(range.map((m) => m.polls))} (${median(range.map((m) => m.requests))} requests) |`;
}

const factorList = factors.map((factor) => factor.toFixed(2)).join(' / ');
console.log(
  `Each adapter at ${points} lengths, ${factorList} x its nominal length (the adapter's own expected duration):\n`,
);
console.log('| adapter (step) | nominal | late (s) | polls | median late / polls |');
console.log('| --- | ---: | --- | --- | ---: |');
const measured: Subject[] = [];
for (const subject of subjects) {
  const range: Measure[] = [];
  for (const factor of factors) range.push(await measure(subject, Math.round(subject.nominalMs * factor)));
  if (range.some((m) => m.lateMs < 0)) {
    // The wait returned before the modelled length: that length does not gate what it waits for.
    console.log(
      `| ${subject.provider} (${subject.step}) | ${seconds(subject.nominalMs)} s | n/a: the wait returns at once (${range[0]!.requests} request) | | |`,
    );
    continue;
  }
  measured.push(subject);
  console.log(row(`${subject.provider} (${subject.step})`, `${seconds(subject.nominalMs)} s`, range));
}

console.log(`\nEach adapter's operation at ${factorList} x 90 s, the wait told expectedDurationMs: 90 s:\n`);
console.log('| adapter (step) | expected | late (s) | polls | median late / polls |');
console.log('| --- | ---: | --- | --- | ---: |');
let missed = false;
for (const subject of measured) {
  const range: Measure[] = [];
  for (const factor of factors)
    range.push(await measure(subject, Math.round(ninetySeconds * factor), ninetySeconds));
  if (median(range.map((m) => m.lateMs)) > 2_000 || median(range.map((m) => m.polls)) > 6) missed = true;
  console.log(row(`${subject.provider} (${subject.step})`, '90.0 s', range));
}
process.exitCode = missed ? 1 : 0;

import { type FailoverPlan, runPlan, writerRegion } from '@failover/core';
import type { RequestLogEntry } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import { type GcpWorld, project, startGcpWorld } from './gcp-emulator-world.js';

// The Google Cloud part of the seed runbook as a plan, run by the core executor
// against the emulator: resize the DR node pool, move the Cloud SQL primary to
// the DR region, point api.aegis.io at the DR load balancer with TTL 60.

// The executor sleeps concurrently (step deadlines beside provider waits), so it
// needs a clock that moves by itself: the emulator's, 1000 times faster than real time.
const timeScale = 1_000;

let world: GcpWorld | undefined;
afterEach(async () => {
  await world?.stop();
  world = undefined;
});

const plan: FailoverPlan = {
  version: 1,
  id: 'aegis-gcp-dr',
  name: 'Aegis DR failover (Google Cloud)',
  sourceRegion: 'us-east1',
  targetRegion: 'us-central1',
  steps: [
    {
      id: 'scale-dr',
      kind: 'action',
      // `gcloud container clusters resize --num-nodes 6` on a regional cluster means 6 per
      // zone (18 nodes); here the 6 is the total, 2 per zone.
      action: {
        type: 'scale',
        provider: 'gke',
        pool: { cluster: 'aegis-dr', pool: 'primary-pool', region: 'us-central1' },
        desired: 6,
      },
    },
    {
      id: 'promote-db',
      kind: 'action',
      dependsOn: ['scale-dr'],
      action: {
        type: 'database',
        provider: 'sql',
        database: { id: 'aegis-db' },
        region: 'us-central1',
        mode: 'planned',
      },
    },
    {
      id: 'switch-api',
      kind: 'action',
      dependsOn: ['promote-db'],
      action: {
        type: 'dns',
        provider: 'dns',
        record: { zone: 'aegis-zone', name: 'api.aegis.io.', type: 'CNAME' },
        desired: { ttl: 60, targets: { default: { values: ['dr-lb.aegis.io.'] } } },
      },
    },
  ],
};

const providers = (w: GcpWorld) => ({
  gke: w.gcp.clusterScaler(),
  sql: w.gcp.databaseFailover(),
  dns: w.gcp.dnsProvider(),
});

/** Requests per service, split into observe (reads before acting), act (mutating) and wait (reads after). */
function tally(entries: RequestLogEntry[]) {
  const rows: Record<string, { observe: number; act: number; wait: number; total: number }> = {};
  for (const service of new Set(entries.map((e) => e.service))) {
    const mine = entries.filter(
      (e) => e.service === service || (service === 'gcp.container' && e.service === 'gcp.compute'),
    );
    if (service === 'gcp.compute') continue;
    const firstMutation = mine.findIndex((e) => e.mutating);
    const lastMutation = mine.findLastIndex((e) => e.mutating);
    rows[service] = {
      observe: firstMutation < 0 ? mine.length : firstMutation,
      act: mine.filter((e) => e.mutating).length,
      wait: lastMutation < 0 ? 0 : mine.length - lastMutation - 1,
      total: mine.length,
    };
  }
  return rows;
}

describe('the seed runbook on Google Cloud', () => {
  it('dry-run observes only: zero mutating calls in the emulator request log', async () => {
    world = await startGcpWorld({ timeScale });
    const result = await runPlan(plan, {
      providers: providers(world),
      time: world.emulator.clock,
      dryRun: true,
    });
    const run = result._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(Object.keys(run.diffs ?? {}).sort()).toEqual(['promote-db', 'scale-dr', 'switch-api']);
    expect(world.emulator.requests.count({ mutating: true })).toBe(0);
    expect(world.emulator.requests.count()).toBeGreaterThan(0);
  });

  it('fails over, reports its API calls, and a second run changes nothing', async () => {
    world = await startGcpWorld({ timeScale });
    const w = world;
    const result = await runPlan(plan, {
      providers: providers(w),
      time: w.emulator.clock,
      random: () => 0.5,
    });
    const run = result._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    const entries = w.emulator.requests.list();
    const counts = tally(entries);
    // Printed for the record: API calls of one failover, per adapter (observe + act + wait).
    console.log('API calls per adapter for one failover of the seed runbook:', JSON.stringify(counts));
    console.log(
      'executor tally:',
      JSON.stringify(Object.fromEntries(run.steps.map((s) => [s.stepId, s.calls]))),
    );
    expect(counts['gcp.container']?.act).toBe(1);
    expect(counts['gcp.sqladmin']?.act).toBe(1);
    expect(counts['gcp.dns']?.act).toBe(1);
    // Every mutating request is a step's; the reads the steps report are all the reads but those of the
    // executor's pre-run pre-check pass (observe + precheck of each step), which no step owns.
    expect(run.steps.reduce((sum, s) => sum + s.calls.total.mutatingApiCalls, 0)).toBe(
      entries.filter((e) => e.mutating).length,
    );
    expect(run.steps.reduce((sum, s) => sum + s.calls.total.apiCalls, 0)).toBeLessThanOrEqual(entries.length);

    // The world moved.
    const sql = w.gcp.databaseFailover();
    expect(writerRegion((await sql.describe({ id: 'aegis-db' }))._unsafeUnwrap())).toBe('us-central1');
    const pool = (
      await w.gcp
        .clusterScaler()
        .describePool({ cluster: 'aegis-dr', pool: 'primary-pool', region: 'us-central1' })
    )._unsafeUnwrap();
    expect([pool.desired, pool.ready]).toEqual([6, 6]);
    const api = (
      await w.gcp.dnsProvider().getRecordSet({ zone: 'aegis-zone', name: 'api.aegis.io.', type: 'CNAME' })
    )._unsafeUnwrap();
    expect([api.ttl, api.targets[0]?.values]).toEqual([60, ['dr-lb.aegis.io.']]);

    // A second run changes nothing.
    w.emulator.requests.clear();
    const again = (await runPlan(plan, { providers: providers(w), time: w.emulator.clock }))._unsafeUnwrap();
    expect(again.steps.map((s) => s.changed)).toEqual([false, false, false]);
    expect(w.emulator.requests.count({ mutating: true })).toBe(0);
  });

  it('throttled reads, mutations and polls are retried inside the attempt and the run succeeds', async () => {
    world = await startGcpWorld({ timeScale });
    const w = world;
    for (const [service, operation] of [
      ['gcp.container', 'projects.locations.clusters.nodePools.setSize'],
      ['gcp.container', 'projects.locations.operations.get'],
      ['gcp.sqladmin', 'instances.get'],
      ['gcp.sqladmin', 'instances.switchover'],
      ['gcp.dns', 'changes.create'],
      ['gcp.dns', 'changes.get'],
    ] as const) {
      w.emulator.faults.add({ fault: 'throttle', service, operation, times: 1, retryAfterSeconds: 2 });
    }
    const run = (
      await runPlan(plan, { providers: providers(w), time: w.emulator.clock, random: () => 0.5 })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(w.emulator.requests.list().filter((e) => e.fault === 'throttle')).toHaveLength(6);
    // Each mutating call was sent twice (throttled, then accepted) and applied once.
    expect(w.emulator.requests.list({ mutating: true }).map((e) => `${e.operation} ${e.status}`)).toEqual([
      'projects.locations.clusters.nodePools.setSize 429',
      'projects.locations.clusters.nodePools.setSize 200',
      'instances.switchover 429',
      'instances.switchover 200',
      'changes.create 429',
      'changes.create 200',
    ]);
    // A throttle is retried inside the step's attempt (within its deadline), so it costs no attempt.
    expect(run.steps.map((s) => s.attempts)).toEqual([1, 1, 1]);
    expect(
      (await fetch(`${w.emulator.endpoint('gcp.sqladmin')}/v1/projects/${project}/instances/aegis-db-dr`, {
        headers: { authorization: 'Bearer t' },
      }).then((r) => r.json())) as { instanceType: string },
    ).toMatchObject({ instanceType: 'CLOUD_SQL_INSTANCE' });
  });

  it("the runbook's literal Cloud SQL step, an in-region HA failover, and its API calls", async () => {
    world = await startGcpWorld();
    const sql = world.gcp.databaseFailover();
    const calls: string[] = [];
    const onApiCall = (call: { operation: string; mutating: boolean }) =>
      calls.push(`${call.operation}${call.mutating ? '*' : ''}`);
    const ensured = (
      await sql.ensureWriter(
        { id: 'aegis-db' },
        {
          region: 'us-east1',
          mode: 'planned',
          providerOptions: { 'gcp.sql': { strategy: 'ha-failover', zone: 'us-east1-b' } },
        },
        { onApiCall },
      )
    )._unsafeUnwrap();
    (await sql.waitForWriter(ensured.handle!, { timeoutMs: 3_600_000, onApiCall }))._unsafeUnwrap();
    console.log('API calls of the HA failover (observe + act + wait):', calls.length, JSON.stringify(calls));
    expect(calls.filter((c) => c.endsWith('*'))).toEqual(['instances.failover*']);
    expect(calls.length).toBe(world.emulator.requests.count());
  });
});

// Issue 19.3 end to end: the multi-cloud example on the emulator, through the real adapters
// and SDK clients. The promotions complete, then the final DNS switch (Route 53) fails for
// good. Rollback must not re-open the demoted primaries: the drains (fences) stay, traffic
// ends in the DR region on all three clouds, and the run says it failed over partially.
import {
  activeDnsTarget,
  check,
  definePlan,
  type FailoverPlan,
  type PlanBuilder,
  runPlan,
  writerRegion,
} from '@failover/core';
import { type Emulator, startEmulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import multiCloudPlan, { aegis } from '../examples/multi-cloud/plan.js';
import { emulatorProviders, seed } from '../examples/multi-cloud/providers.js';

let emulator: Emulator | undefined;
afterEach(async () => {
  await emulator?.stop();
  emulator = undefined;
});

function built(builder: PlanBuilder): FailoverPlan {
  const plan = builder.build();
  if (plan.isErr()) throw plan.error;
  return plan.value;
}

const promotions = ['promote-aurora', 'promote-azure-sql', 'promote-cloud-sql'];

describe('examples/multi-cloud: a permanent failure of the final DNS switch after the promotions', () => {
  it('holds traffic in the DR region on all three clouds and keeps every fence', async () => {
    emulator = await startEmulator({ seed, timeScale: 240 });
    const world = emulator;
    const providers = emulatorProviders({ url: world.url, clock: world.clock });
    const plan = built(multiCloudPlan);
    const leafIds = new Set<string>();
    const collect = (steps: FailoverPlan['steps']): void => {
      for (const step of steps) step.kind === 'group' ? collect(step.steps) : leafIds.add(step.id);
    };
    collect(plan.steps);
    for (const id of [...promotions, 'switch-route53', 'drain-route53']) expect(leafIds).toContain(id);

    // Load each cloud's SDK once, one at a time: Node 20 can fail concurrent first loads of
    // the Azure SDK's CommonJS-over-ESM modules ("request for './pipeline.js' is not in cache").
    for (const [name, record] of [
      ['aws-route53', aegis.aws.record],
      ['azure-traffic-manager', aegis.azure.record],
      ['gcp-cloud-dns', aegis.gcp.record],
    ] as const) {
      const dns = providers[name] as Extract<(typeof providers)[string], { kind: 'dns' }>;
      (await dns.getRecordSet(record))._unsafeUnwrap();
    }
    for (const [name, database] of [
      ['aws-aurora', aegis.aws.database],
      ['azure-sql', aegis.azure.database],
      ['gcp-cloud-sql', aegis.gcp.database],
    ] as const) {
      const db = providers[name] as Extract<(typeof providers)[string], { kind: 'database' }>;
      (await db.describe(database))._unsafeUnwrap();
    }
    for (const [name, pool] of [
      ['aws-eks', aegis.aws.drPool],
      ['azure-aks', aegis.azure.drPool],
      ['gcp-gke', aegis.gcp.drPool],
    ] as const) {
      const cluster = providers[name] as Extract<(typeof providers)[string], { kind: 'cluster' }>;
      (await cluster.describePool(pool))._unsafeUnwrap();
    }

    const ended = new Set<string>();
    const result = await runPlan(plan, {
      providers,
      time: world.clock,
      onEvent(event) {
        if (event.type !== 'step-end') return;
        ended.add(event.stepId);
        // Once Aurora is promoted (the other clouds' promotions run beside it), Route 53 answers
        // every change with a 500, for good: the AWS switch, next, fails permanently.
        if (event.stepId === 'promote-aurora') {
          world.faults.add({
            fault: 'server-error',
            service: 'aws.route53',
            operation: 'ChangeResourceRecordSets',
          });
        }
      },
    });
    if (result.isErr()) throw result.error;
    const run = result.value;
    const statusOf = (id: string) => run.steps.find((step) => step.stepId === id)?.status;

    const notSucceeded = run.steps
      .filter((step) => step.status !== 'succeeded')
      .map((step) => `${step.stepId}: ${step.status} ${step.error?.message ?? ''}`);
    expect(run.status).toBe('failed');
    // Everything up to the promotions went through; only the switch and what follows did not.
    expect(notSucceeded.filter((line) => line.startsWith('drain') || line.startsWith('scale'))).toEqual([]);
    for (const id of promotions) expect(statusOf(id), id).toBe('succeeded');
    expect(statusOf('switch-route53')).toBe('failed');
    expect(run.partialFailover, 'the run says it failed over partially').toBeDefined();
    expect(run.partialFailover!.summary).toContain('failed over partially');
    expect([...run.partialFailover!.irreversible].sort()).toEqual([...promotions].sort());
    expect(run.partialFailover!.unfinished).toContain('switch-route53');
    const kept = run.partialFailover!.kept.map((entry) => entry.stepId);
    for (const id of ['drain-route53', 'drain-traffic-manager', 'drain-cloud-dns'])
      expect(kept, id).toContain(id);
    // Nothing was undone: no drain, no scale-up.
    expect(run.rollback?.steps.filter((step) => step.status === 'rolled-back')).toEqual([]);
    expect(run.report.partialFailover?.unfinished).toContain('switch-route53');

    // The writers stay in the DR regions.
    world.faults.clear();
    const writer = async (name: string, database: { id: string }) => {
      const db = providers[name] as Extract<(typeof providers)[string], { kind: 'database' }>;
      return writerRegion((await db.describe(database))._unsafeUnwrap());
    };
    expect(await writer('aws-aurora', aegis.aws.database)).toBe(aegis.aws.drRegion);
    expect(await writer('azure-sql', aegis.azure.database)).toBe(aegis.azure.drRegion);
    expect(await writer('gcp-cloud-sql', aegis.gcp.database)).toBe(aegis.gcp.drRegion);

    // Traffic is in the DR region on every cloud: the plan's own checks say so.
    const traffic = built(
      definePlan({
        id: 'traffic-in-dr',
        name: 'traffic in DR',
        sourceRegion: aegis.aws.primaryRegion,
        targetRegion: aegis.aws.drRegion,
      }).parallel('where', [
        check.dnsActiveTarget('aws', {
          provider: 'aws-route53',
          record: aegis.aws.record,
          target: aegis.aws.drRegion,
        }),
        check.dnsActiveTarget('azure', {
          provider: 'azure-traffic-manager',
          record: aegis.azure.record,
          target: aegis.azure.drEndpoint,
        }),
      ]),
    );
    const where = (await runPlan(traffic, { providers, time: world.clock }))._unsafeUnwrap();
    expect(where.steps.map((step) => [step.stepId, step.status, step.error?.message ?? ''])).toEqual([
      ['aws', 'succeeded', ''],
      ['azure', 'succeeded', ''],
    ]);
    // Cloud DNS answers from the DR load balancer: through the drain's backup target, or through
    // the primary target rewritten to the DR address when the GCP switch finished first.
    const cloudDns = providers['gcp-cloud-dns'] as Extract<(typeof providers)[string], { kind: 'dns' }>;
    const gcpRecord = (await cloudDns.getRecordSet(aegis.gcp.record))._unsafeUnwrap();
    const active = gcpRecord.targets.find((target) => target.id === activeDnsTarget(gcpRecord));
    expect(active?.values).toEqual([aegis.gcp.drAddress]);
  }, 120_000);
});

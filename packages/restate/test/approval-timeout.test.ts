import { approval, definePlan, dns } from '@failover/core';
import { afterAll, describe, expect, it } from 'vitest';
import { ecommerce } from '../../../examples/aws-aurora-route53/plan.js';
import { failoverRunClient } from '../src/index.js';
import { startAuroraOnRestate } from './support/aurora-on-restate.js';
import { restateServerBinary } from './support/restate-server.js';

const binary = restateServerBinary();
const timeScale = 60;

// Under CI the server binary must be there (the README's test command installs it): fail, never skip.
const runIt = binary !== undefined || process.env.CI === 'true' ? it : it.skip;

describe('an approval under Restate', () => {
  const cleanup: Array<() => Promise<unknown> | unknown> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  }, 30_000);

  runIt(
    'that nobody gives times out as under the local executor: the step fails and the switch before it is rolled back',
    async () => {
      expect(binary, 'the @restatedev/restate-server binary for this platform').toBeDefined();
      const plan = definePlan({
        id: 'switch-then-approve',
        name: 'Switch DNS, then approve',
        sourceRegion: ecommerce.sourceRegion,
        targetRegion: ecommerce.targetRegion,
      })
        .step(
          dns.switchActive('switch-dns', {
            provider: 'route53',
            record: ecommerce.record,
            target: ecommerce.targetRegion,
          }),
        )
        .step(approval('go-ahead', 'Keep api on us-west-2?', { timeoutMs: 2 * 60_000 }))
        .after('switch-dns')
        .build()
        ._unsafeUnwrap();
      const { emulator, server } = await startAuroraOnRestate(binary!, plan, timeScale, cleanup);
      const client = failoverRunClient(server.ingressUrl);

      (await client.submit('run-t', { planId: plan.id }))._unsafeUnwrap();
      const outcome = (await client.attach('run-t'))._unsafeUnwrap();
      expect(outcome.status, JSON.stringify(outcome.report.error)).toBe('rolled-back');
      const steps = new Map(outcome.report.steps.map((step) => [step.id, step]));
      expect(steps.get('go-ahead')).toMatchObject({ status: 'failed' });
      expect(JSON.stringify(steps.get('go-ahead'))).toContain('no answer within');
      expect(outcome.report.rollback).toMatchObject({ status: 'rolled-back', stepIds: ['switch-dns'] });
      // The switch and its undo: two changes of the record set.
      const changes = emulator.requests
        .list({ mutating: true })
        .filter((entry) => entry.status < 400)
        .map((entry) => entry.operation);
      expect(changes).toEqual(['ChangeResourceRecordSets', 'ChangeResourceRecordSets']);
      // An answer after the timeout changes nothing.
      (await client.approve('run-t', { stepId: 'go-ahead', approved: true }))._unsafeUnwrap();
      expect((await client.outcome('run-t'))._unsafeUnwrap()?.status).toBe('rolled-back');
    },
    60_000,
  );
});

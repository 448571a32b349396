import type { Emulator } from '@failover/emulator';
import { afterAll, describe, expect, it } from 'vitest';
import { forcedPlan } from '../../../examples/aws-aurora-route53/plan.js';
import { failoverInProcess } from '../../cli/test/cli-harness.js';
import { failoverRunClient } from '../src/index.js';
import { startAuroraOnRestate } from './support/aurora-on-restate.js';
import { restateServerBinary } from './support/restate-server.js';

const binary = restateServerBinary();
const timeScale = 60;

/** The mutating requests the emulator answered, in the order it saw them. */
const mutations = (emulator: Emulator) =>
  emulator.requests
    .list({ mutating: true })
    .filter((entry) => entry.status < 400)
    .map((entry) => `${entry.operation} ${entry.path}`);

/** `failover <args>` in-process, with no environment; resolves to its exit code and what it printed. */
const cli = (args: string[]) => failoverInProcess(args, { env: {}, cwd: process.cwd() });

// Under CI the server binary must be there (the README's test command installs it): fail, never skip.
const runIt = binary !== undefined || process.env.CI === 'true' ? it : it.skip;

describe('cancelling a Restate run', () => {
  const cleanup: Array<() => Promise<unknown> | unknown> = [];
  afterAll(async () => {
    for (const step of cleanup.reverse()) await step();
  }, 30_000);

  runIt(
    'a run parked on an approval ends cancelled, journaled, with no call after the cancel; a second cancel is a no-op; failover approve --deny refuses an approval',
    async () => {
      expect(binary, 'the @restatedev/restate-server binary for this platform').toBeDefined();
      const plan = forcedPlan.build()._unsafeUnwrap();
      const { emulator, server } = await startAuroraOnRestate(binary!, plan, timeScale, cleanup);
      const client = failoverRunClient(server.ingressUrl);

      // The forced failover fences the old primary, then waits for the data-loss approval.
      (await client.submit('run-c', { planId: plan.id }))._unsafeUnwrap();
      const deadline = Date.now() + 60_000;
      for (;;) {
        const status = (await client.status('run-c'))._unsafeUnwrap();
        if (status.awaitingApproval?.includes('approve-data-loss')) {
          expect(status.state).toBe('running');
          expect(status.ended.map((step) => step.stepId)).toContain('fence-primary');
          // As the run asked it: the question and the data-loss window of the promotion it gates.
          expect(status.pendingApprovals).toMatchObject([
            {
              stepId: 'approve-data-loss',
              dataLoss: [{ database: 'ecommerce-global', stepId: 'promote-aurora' }],
            },
          ]);
          break;
        }
        expect(Date.now(), 'the run waits for approve-data-loss within 60 s').toBeLessThan(deadline);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const before = mutations(emulator);
      expect(before.length, 'the fence was sent').toBeGreaterThan(0);

      const cancelled = await cli(['cancel', 'run-c', '--restate-url', server.ingressUrl, '--by', 'sre-1']);
      expect(cancelled, cancelled.stderr).toMatchObject({ code: 0 });
      expect(cancelled.stdout).toContain('cancel requested');

      const outcome = (await client.attach('run-c'))._unsafeUnwrap();
      expect(outcome.status).toBe('cancelled');
      const steps = new Map(outcome.report.steps.map((step) => [step.id, step.status]));
      expect(steps.get('fence-primary')).toBe('succeeded');
      expect(steps.get('approve-data-loss')).toBe('cancelled');
      expect(steps.get('promote-aurora')).toBe('skipped');
      // As a local cancel: nothing is rolled back, the fence that was sent stays.
      expect(outcome.report.rollback).toBeUndefined();
      // Let anything still queued on the worker surface, then compare: no call after the cancel.
      await new Promise((resolve) => setTimeout(resolve, 300));
      expect(mutations(emulator)).toEqual(before);

      // Journaled by Restate: status and `failover report` read the cancelled run back.
      const status = (await client.status('run-c'))._unsafeUnwrap();
      expect(status).toMatchObject({ state: 'finished', status: 'cancelled', cancelRequested: true });
      expect(status.awaitingApproval).toBeUndefined();
      expect(status.pendingApprovals).toBeUndefined();
      const report = await cli(['report', 'run-c', '--restate-url', server.ingressUrl, '--format', 'json']);
      expect(report.code, report.stderr).toBe(0);
      expect(JSON.parse(report.stdout)).toMatchObject({ runId: 'run-c', status: 'cancelled' });

      // Again: nothing to cancel, nothing sent, the outcome unchanged.
      const again = await cli(['cancel', 'run-c', '--restate-url', server.ingressUrl]);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stdout).toContain('had already finished (cancelled)');
      expect(mutations(emulator)).toEqual(before);
      expect((await client.outcome('run-c'))._unsafeUnwrap()?.status).toBe('cancelled');

      // Restate's own admin API cancels the same way: the run's invocation id is in its status.
      (await client.submit('run-admin', { planId: plan.id }))._unsafeUnwrap();
      let invocationId: string | undefined;
      while (invocationId === undefined) {
        const status = (await client.status('run-admin'))._unsafeUnwrap();
        if (status.awaitingApproval?.includes('approve-data-loss')) invocationId = status.invocationId;
        expect(Date.now(), 'run-admin waits for approve-data-loss within 60 s').toBeLessThan(
          deadline + 60_000,
        );
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const cancelledByAdmin = await fetch(`${server.adminUrl}/invocations/${invocationId}/cancel`, {
        method: 'PATCH',
      });
      expect(cancelledByAdmin.status).toBeLessThan(300);
      const byAdmin = (await client.attach('run-admin'))._unsafeUnwrap();
      expect(byAdmin.status).toBe('cancelled');
      expect(byAdmin.report.steps.find((step) => step.id === 'promote-aurora')?.status).toBe('skipped');
      const afterAdmin = mutations(emulator);

      // A run cancelled before it was submitted never starts a step.
      expect((await client.cancel('run-early'))._unsafeUnwrap()).toEqual({
        requested: true,
        state: 'not-started',
      });
      (await client.submit('run-early', { planId: plan.id }))._unsafeUnwrap();
      const early = (await client.attach('run-early'))._unsafeUnwrap();
      expect(early.status).toBe('cancelled');
      expect(early.report.steps.every((step) => step.status === 'skipped')).toBe(true);
      expect(mutations(emulator)).toEqual(afterAdmin);
      expect(afterAdmin.filter((call) => /Failover|Switchover/.test(call))).toEqual([]);

      // An approval refused with `failover approve --deny` fails its step, as a denial does locally.
      (await client.submit('run-deny', { planId: plan.id }))._unsafeUnwrap();
      for (;;) {
        const status = (await client.status('run-deny'))._unsafeUnwrap();
        if (status.awaitingApproval?.includes('approve-data-loss')) break;
        expect(Date.now(), 'run-deny waits for approve-data-loss').toBeLessThan(deadline + 120_000);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      // `failover approve <run>` lists it with the window read before asking, from Restate alone:
      // the emulator sees no request while it lists.
      const requestsBefore = emulator.requests.list().length;
      const listed = await cli(['approve', 'run-deny', '--restate-url', server.ingressUrl]);
      expect(listed.code, listed.stderr).toBe(0);
      expect(emulator.requests.list().length).toBe(requestsBefore);
      const lossLine =
        /^ {4}ecommerce-global: forced promotion loses up to [^\n]+ of writes \(lag observed \d\d:\d\d:\d\dZ[^\n]*$/m;
      expect(listed.stdout).toContain('Run run-deny waits on 1 approval:\n  approve-data-loss (asked ');
      expect(listed.stdout).toMatch(lossLine);
      const refused = await cli([
        'approve',
        'run-deny',
        'approve-data-loss',
        '--deny',
        '--reason',
        'not with data loss',
        '--restate-url',
        server.ingressUrl,
      ]);
      expect(refused.code, refused.stderr).toBe(0);
      expect(refused.stdout).toContain('Refused step approve-data-loss of run run-deny.\nIt asked:\n');
      expect(refused.stdout).toMatch(lossLine);
      const denied = (await client.attach('run-deny'))._unsafeUnwrap();
      expect(['failed', 'rolled-back']).toContain(denied.status);
      const approvalStep = denied.report.steps.find((step) => step.id === 'approve-data-loss');
      expect(approvalStep?.status).toBe('failed');
      expect(JSON.stringify(approvalStep)).toContain('not with data loss');
      expect(mutations(emulator).filter((call) => /Failover|Switchover/.test(call))).toEqual([]);
    },
    90_000,
  );
});

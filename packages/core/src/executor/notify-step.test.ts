import { afterEach, describe, expect, it } from 'vitest';
import { routeNotifications } from '../notify/route-notifications.js';
import { slackNotifier } from '../notify/slack-notifier.js';
import { createIoPacedTime } from '../notify/test-support/io-paced-time.js';
import { type RecordingReceiver, startRecordingReceiver } from '../notify/test-support/recording-receiver.js';
import { PlanValidationError } from '../plan/plan-validation-error.js';
import type { NotifyStep } from '../plan/step.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import { eventLog, testPlan, waitStep } from './test-support/test-plans.js';

const receivers: RecordingReceiver[] = [];
async function receiver(...args: Parameters<typeof startRecordingReceiver>): Promise<RecordingReceiver> {
  const started = await startRecordingReceiver(...args);
  receivers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(receivers.splice(0).map((r) => r.close()));
});

const tell = (extra: Partial<NotifyStep> = {}): NotifyStep => ({
  id: 'tell',
  kind: 'notify',
  channel: 'slack:#incidents',
  message: 'Checkout serves from eu-west-1.',
  ...extra,
});

describe('notify steps', () => {
  it('make the plan invalid when no notifier is bound, before anything runs', async () => {
    const time = createVirtualTime();
    const plan = testPlan([waitStep('soak', 1_000), tell({ dependsOn: ['soak'] })]);
    const error = (await runPlan(plan, { providers: {}, time }))._unsafeUnwrapErr();
    expect(PlanValidationError.isInstance(error)).toBe(true);
    expect((error as PlanValidationError).problems).toEqual([
      expect.objectContaining({ path: 'steps[1].channel', code: 'missing-notifier' }),
    ]);
    expect(time.now()).toBe(Date.UTC(2026, 0, 1));
  });

  it('make the plan invalid when the bound routes do not cover the channel', async () => {
    const slack = await receiver();
    const notifier = routeNotifications({ slack: slackNotifier({ webhookUrl: slack.url }) });
    const plan = testPlan([tell(), tell({ id: 'page', channel: 'pagerduty' })]);
    const error = (
      await runPlan(plan, { providers: {}, time: createVirtualTime(), notifier })
    )._unsafeUnwrapErr();
    expect((error as PlanValidationError).problems).toEqual([
      {
        path: 'steps[1].channel',
        code: 'missing-notifier',
        message: 'no notifier is bound to the channel "pagerduty".',
      },
    ]);
    expect(slack.received).toHaveLength(0);
  });

  it('fill their stage template from the run: achieved RTO, regions, objective', async () => {
    const slack = await receiver();
    const plan = testPlan(
      [waitStep('switch', 252_000), tell({ dependsOn: ['switch'], stage: 'failover-completed' })],
      {
        name: 'Checkout',
        objectives: { rtoMs: 900_000 },
      },
    );
    const paced = createIoPacedTime();
    const run = await paced.drive(
      runPlan(plan, {
        providers: {},
        time: paced.time,
        notifier: paced.track(routeNotifications({ slack: slackNotifier({ webhookUrl: slack.url }) })),
      }),
      4_000,
    );
    expect(run._unsafeUnwrap().status).toBe('succeeded');
    const body = slack.received[0]?.json as { text: string };
    expect(body.text).toBe(
      'Failover completed: Checkout serves from eu-west-1\n' +
        `Checkout serves from eu-west-1.\nAchieved RTO 4m 12s (objective 15m 00s). Run ${run._unsafeUnwrap().runId}.`,
    );
  });

  it('retry a failing channel with backoff on the run clock, then deliver', async () => {
    const slack = await receiver([
      { status: 503 },
      { status: 429, body: 'rate_limited', headers: { 'retry-after': '5' } },
    ]);
    const paced = createIoPacedTime();
    const run = (
      await paced.drive(
        runPlan(testPlan([tell()]), {
          providers: {},
          time: paced.time,
          random: () => 0.5,
          notifier: paced.track(slackNotifier({ webhookUrl: slack.url })),
        }),
      )
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(run.steps[0]!.warnings).toBeUndefined();
    expect(slack.received).toHaveLength(3);
    // 0.5 x 1 s after the 503, then the 5 s the 429 asked for.
    expect(run.endedAt - run.startedAt).toBe(5_500);
  });

  it('retry a fan-out only to the receivers that have not accepted it: nobody gets it twice', async () => {
    const incidents = await receiver();
    const bridge = await receiver([{ status: 503 }]);
    const paced = createIoPacedTime();
    const run = (
      await paced.drive(
        runPlan(testPlan([tell()]), {
          providers: {},
          time: paced.time,
          random: () => 0.5,
          notifier: paced.track(
            routeNotifications({
              slack: [
                slackNotifier({ webhookUrl: incidents.url }),
                slackNotifier({ webhookUrl: bridge.url }),
              ],
            }),
          ),
        }),
      )
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(incidents.received).toHaveLength(1);
    expect(bridge.received).toHaveLength(2);
  });

  it('turn a channel that stays down into a warning within the budget, and the run goes on', async () => {
    const slack = await receiver([], { status: 500, body: 'internal_error' });
    const log = eventLog();
    const plan = testPlan([tell(), waitStep('after', 1_000, ['tell'])]);
    const paced = createIoPacedTime();
    const run = (
      await paced.drive(
        runPlan(plan, {
          providers: {},
          time: paced.time,
          random: () => 1,
          onEvent: log.onEvent,
          notifier: paced.track(slackNotifier({ webhookUrl: `${slack.url}/T0/B0/xoxb-secret` })),
        }),
      )
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    const [notifyResult, after] = run.steps;
    expect(after?.status).toBe('succeeded');
    // Backoff 1, 2, 4, 8, 10 s fits the 30 s budget; the next 10 s would pass it.
    expect(slack.received).toHaveLength(6);
    expect(notifyResult!.durationMs).toBe(25_000);
    expect(notifyResult!.warnings).toEqual([
      'The message to slack:#incidents could not be sent: slack answered HTTP 500: internal_error.',
    ]);
    expect(log.ofType('warning')).toHaveLength(1);
    expect(JSON.stringify(log.events)).not.toContain('xoxb-secret');
  });
});

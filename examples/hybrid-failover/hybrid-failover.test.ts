import { describe, expect, it } from 'vitest';
import { runHybridDemo } from './demo.js';

describe('examples/hybrid-failover: failover watch on the emulator', () => {
  it('switches traffic on its own, waits for the promotion approval, and reports each stage', {
    timeout: 120_000,
  }, async () => {
    const outcome = await runHybridDemo({ timeScale: 120 });
    expect(outcome.exitCode, outcome.stderr).toBe(0);

    // Healthy first, then one automatic decision on the rule "every critical check failed".
    const evaluations = outcome.journal.flatMap((entry) =>
      entry.type === 'watch-evaluation' ? [entry] : [],
    );
    expect(evaluations[0]!.evaluation.decision.kind).toBe('NO_ACTION');
    const triggers = outcome.journal.filter((entry) => entry.type === 'watch-trigger');
    expect(triggers).toHaveLength(1);
    expect(triggers[0]).toMatchObject({
      decision: { kind: 'AUTOMATIC_FAILOVER', rule: 'all-critical-failed' },
    });
    // The evaluation that triggered kept its inputs: each vantage point's failed probe.
    const triggering = evaluations.find((entry) => entry.at === triggers[0]!.at)!;
    const apiReading = triggering.evaluation.readings.find((reading) => reading.check === 'api');
    expect(apiReading?.samples?.map((sample) => sample.status)).toEqual(['down', 'down', 'down']);
    expect(outcome.journal.find((entry) => entry.type === 'watch-run-end')).toMatchObject({
      status: 'succeeded',
    });

    // The stages the webhook got, signed: the automatic start, then the promotion waiting with its command.
    expect(outcome.notifications.map((n) => n.stage)).toEqual(['failover-started', 'approval-needed']);
    expect(outcome.notifications[1]!.message).toContain('--grant approve-promotion');

    // The traffic switch finished before the promotion was approved; the promotion after.
    const log = outcome.stdout;
    expect(log.indexOf('ok       switch-traffic')).toBeLessThan(log.indexOf('approved approve-promotion'));
    expect(log.indexOf('approved approve-promotion')).toBeLessThan(log.indexOf('ok       promote-aurora'));
  });
});

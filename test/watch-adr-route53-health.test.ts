// The ADR scenarios' Route 53 health check on the wire: the edge's health check is read with
// GetHealthCheckStatus through the real AWS SDK from @failover/emulator, whose checkers
// follow a scripted timeline (and the blackout of the edge's region), inside watchHealth with
// ADR 039's checks and default policy, on the emulator's deterministic clock. What is proved
// here is the Route 53 signal (per-checker samples, quorum, recovery); the bound plan's run
// is watch-adr-scenarios.test.ts's subject, so the failover callback only records.
import { defaultCheckerRegions } from '@failover/aws';
import { createMemoryWatchJournal, type DecisionKind, watchHealth } from '@failover/core';
import type { Emulator } from '@failover/emulator';
import { afterEach, describe, expect, it } from 'vitest';
import {
  adrChecks,
  adrSignals,
  edgeCheck,
  edgeHealthCheckId,
  type MetricCurves,
  primary,
  startShopWorld,
} from './watch-adr-scenarios-world.js';

const running: Emulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((emulator) => emulator.stop()));
});

interface Scenario {
  edge?: MetricCurves['edgeHealthCheck'];
  /** eu-west-1 dark over `[startMs, endMs)`. */
  blackout?: { startMs: number; endMs: number };
  forMs: number;
}

interface EdgeRound {
  atMs: number;
  samples: Array<{ vantage: string; status?: string; detail?: string; at: number }>;
}

async function watchEdge(scenario: Scenario) {
  const { clock, startedAt, emulator, aws } = await startShopWorld({
    ...(scenario.edge && { curves: { edgeHealthCheck: scenario.edge } }),
  });
  running.push(emulator);
  if (scenario.blackout) {
    const { startMs, endMs } = scenario.blackout;
    void clock.sleep(startMs).then(() => {
      const lift = emulator.blackouts.add({ cloud: 'aws', region: primary });
      void clock.sleep(endMs - startMs).then(lift);
    });
  }
  const signals = {
    ...adrSignals(emulator, aws),
    edge: aws.healthCheckSource({ id: 'edge', healthCheckId: edgeHealthCheckId }),
  };

  const journal = createMemoryWatchJournal();
  const kinds: DecisionKind[] = [];
  const failovers: string[] = [];
  const edgeRounds: EdgeRound[] = [];
  const status = await watchHealth({
    checks: [...adrChecks, edgeCheck],
    signals,
    time: clock,
    journal,
    onEvaluation: ({ at, decision, readings }) => {
      if (kinds.at(-1) !== decision.kind) kinds.push(decision.kind);
      const reading = readings.find((candidate) => candidate.check === edgeCheck.name);
      if (reading?.samples) edgeRounds.push({ atMs: at - startedAt, samples: [...reading.samples] });
    },
    failover: async ({ decision }) => {
      failovers.push(decision.rule ?? decision.kind);
      return { status: 'succeeded' };
    },
    until: () => clock.now() - startedAt >= scenario.forMs,
  });
  clock.dispose();
  return {
    startedAt,
    kinds,
    failovers,
    edgeRounds,
    edgeStatus: status._unsafeUnwrap().state.checks[edgeCheck.name]?.status,
    statusGets: emulator.requests.count({ service: 'aws.route53', operation: 'GetHealthCheckStatus' }),
  };
}

const downCheckers = (round: EdgeRound | undefined) =>
  (round?.samples ?? []).filter((sample) => sample.status === 'down').map((sample) => sample.vantage);

describe('failover watch, the Route 53 health check of the ADR scenarios on the emulator', () => {
  it("Route 53's checkers see the edge fail (503) while the probes pass: the check fails, the decision is to monitor, nothing runs", async () => {
    const outcome = await watchEdge({
      forMs: 5 * 60_000,
      edge: [
        {
          afterMs: 60_000,
          healthy: false,
          status: 'Failure: HTTP Status Code 503, Service Unavailable. Resolved IP: 192.0.2.20',
        },
      ],
    });
    expect(outcome.statusGets).toBeGreaterThan(5);
    const before = outcome.edgeRounds.find((round) => round.atMs < 60_000);
    expect(before?.samples).toHaveLength(8);
    expect(downCheckers(before)).toEqual([]);
    // Once every checker has checked since 60 s, all eight report the 503, each at its CheckedTime.
    const failing = outcome.edgeRounds.find((round) => round.atMs >= 90_000)!;
    expect(downCheckers(failing).sort()).toEqual(
      defaultCheckerRegions.map((region) => `route53:${region}`).sort(),
    );
    expect(failing.samples.every((sample) => sample.detail?.includes('HTTP Status Code 503'))).toBe(true);
    // Each sample is at its checker's CheckedTime: a past check, at most one 10 s interval old.
    for (const sample of failing.samples) {
      expect(failing.atMs + outcome.startedAt - sample.at).toBeGreaterThanOrEqual(0);
      expect(failing.atMs + outcome.startedAt - sample.at).toBeLessThan(10_000);
    }
    expect(outcome.edgeStatus).toBe('failed');
    // Informational only: degradation, never a failover.
    expect(outcome.kinds).toEqual(['NO_ACTION', 'MONITOR']);
    expect(outcome.failovers).toEqual([]);
  });

  it('one checker region reporting a failure is outvoted: the check never fails', async () => {
    const outcome = await watchEdge({
      forMs: 4 * 60_000,
      edge: [{ afterMs: 30_000, healthy: false, checkerRegions: ['sa-east-1'] }],
    });
    const seen = outcome.edgeRounds.filter((round) => downCheckers(round).length > 0);
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((round) => downCheckers(round).join() === 'route53:sa-east-1')).toBe(true);
    expect(outcome.edgeStatus).not.toBe('failed');
    expect(outcome.kinds).toEqual(['NO_ACTION']);
  });

  it("the edge's region goes dark: every checker times out, and the check recovers when the region returns", async () => {
    const outcome = await watchEdge({ forMs: 9 * 60_000, blackout: { startMs: 60_000, endMs: 240_000 } });
    const dark = outcome.edgeRounds.filter((round) => round.atMs >= 90_000 && round.atMs < 240_000);
    expect(dark.length).toBeGreaterThan(0);
    for (const round of dark) {
      expect(downCheckers(round)).toHaveLength(8);
      expect(round.samples.every((sample) => sample.detail?.includes('Connection timed out'))).toBe(true);
    }
    // Route 53's API is homed in us-east-1, not in the dark region: it kept answering.
    expect(outcome.statusGets).toBeGreaterThan(10);
    // The regional failure triggered once (the watch's own concern); the edge check is healthy again.
    expect(outcome.failovers).toHaveLength(1);
    const after = outcome.edgeRounds.filter((round) => round.atMs >= 270_000);
    expect(after.length).toBeGreaterThan(0);
    expect(downCheckers(after.at(-1))).toEqual([]);
    expect(outcome.edgeStatus).not.toBe('failed');
  });
});

import { createServer, type Server } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryJournal } from '../journal/memory-journal.js';
import type { CheckStep } from '../plan/step.js';
import { renderReportMarkdown } from '../report/render-report-markdown.js';
import { createVirtualTime } from '../time/virtual-time.js';
import { runPlan } from './run-plan.js';
import type { UnreachableEvidence } from './step-evidence.js';
import { testPlan } from './test-support/test-plans.js';

let server: Server | undefined;
afterEach(() => new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve())));

/** A loopback port nothing listens on: connections to it are refused. */
async function closedPort(): Promise<number> {
  const probe = createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as { port: number };
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}

const evidenceStep = (probes: string[], extra: Partial<CheckStep['check']> = {}): CheckStep => ({
  id: 'primary-dark',
  kind: 'check',
  timeoutMs: 600_000,
  check: {
    type: 'primary-unreachable',
    fences: ['orders-writer.us-east-1'],
    probes,
    forMs: 60_000,
    intervalMs: 20_000,
    ...extra,
  } as CheckStep['check'],
});

describe('fence by evidence (primary-unreachable)', () => {
  it('holds after forMs of rounds that each found it unreachable by a quorum, and journals and reports the evidence', async () => {
    const time = createVirtualTime();
    const journal = createMemoryJournal();
    // Virtual time jumps ahead while real I/O is in flight: these probes are all injected.
    const plan = testPlan([
      evidenceStep([
        'https://console.us-east-1.example.com/',
        'https://api.us-east-1.example.com/health',
        'https://db.us-east-1.example.com/',
      ]),
    ]);
    // The API answers 503 (it reports itself unavailable), the DB endpoint nothing, the console 200.
    const httpProbe = async (url: string) => {
      if (url.includes('api.')) return 503;
      if (url.includes('console.')) return 200;
      throw new Error('connect ETIMEDOUT');
    };
    const run = (await runPlan(plan, { providers: {}, time, journal, httpProbe }))._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(run.endedAt - run.startedAt).toBe(60_000);
    const evidence = run.steps[0]!.evidence as UnreachableEvidence;
    expect(evidence).toMatchObject({
      type: 'primary-unreachable',
      quorum: 2,
      probes: 3,
      rounds: 4,
      forMs: 60_000,
    });
    expect(evidence.lastAt - evidence.firstAt).toBe(60_000);
    expect(evidence.firstRound.results.map((result) => result.detail)).toEqual([
      'HTTP 200',
      'HTTP 503',
      'connect ETIMEDOUT',
    ]);
    expect(run.steps[0]!.calls.byProvider.probe?.observe).toBe(12);

    const entries = (await journal.read())._unsafeUnwrap();
    const end = entries.find((entry) => entry.type === 'step-end' && entry.stepId === 'primary-dark');
    expect(end).toMatchObject({ evidence: { type: 'primary-unreachable', rounds: 4 } });
    const markdown = renderReportMarkdown(run.report);
    expect(markdown).toContain('## Evidence');
    expect(markdown).toContain('orders-writer.us-east-1 unreachable for 60000 ms: 4 rounds');
  });

  it('probes TCP for real: a refused port is unreachable, a listening one fails the evidence at once', async () => {
    // Real sockets, so real time; forMs 0 is one round and no waiting.
    const refused = await closedPort();
    const holds = await runPlan(
      testPlan([evidenceStep([`tcp://127.0.0.1:${refused}`], { forMs: 0, quorum: 1 })]),
      { providers: {} },
    );
    const evidence = holds._unsafeUnwrap().steps[0]!.evidence as UnreachableEvidence;
    expect(evidence.firstRound.results).toEqual([
      { probe: `tcp://127.0.0.1:${refused}`, unreachable: true, detail: 'connection refused' },
    ]);
    server = createServer((socket) => socket.end());
    await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    const plan = testPlan([
      evidenceStep([`tcp://127.0.0.1:${port}`, 'https://api.us-east-1.example.com/health'], { quorum: 2 }),
    ]);
    const run = (await runPlan(plan, { providers: {}, httpProbe: async () => 503 }))._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.steps[0]!.error?.kind).toBe('precondition-failed');
    expect(run.steps[0]!.error?.message).toContain(`reachable: tcp://127.0.0.1:${port}`);
    expect(run.steps[0]!.evidence).toBeUndefined();
    expect(run.steps[0]!.attempts).toBe(1);
  });

  it('breaks the window when the primary answers again part-way: a flapping primary is not dead', async () => {
    const time = createVirtualTime();
    const answers = [503, 503, 200];
    const plan = testPlan([evidenceStep(['https://api.us-east-1.example.com/health'], { quorum: 1 })]);
    const run = (
      await runPlan(plan, { providers: {}, time, httpProbe: async () => answers.shift() ?? 503 })
    )._unsafeUnwrap();
    expect(run.status).toBe('failed');
    expect(run.endedAt - run.startedAt).toBe(40_000);
  });

  it('in a dry-run, probes one round and says what a real run would still wait for', async () => {
    const time = createVirtualTime();
    const plan = testPlan([evidenceStep(['https://api.us-east-1.example.com/health'], { quorum: 1 })]);
    const run = (
      await runPlan(plan, { providers: {}, time, dryRun: true, httpProbe: async () => 503 })
    )._unsafeUnwrap();
    expect(run.status).toBe('succeeded');
    expect(run.endedAt - run.startedAt).toBe(0);
    expect(run.steps[0]!.diff).toMatchObject({
      type: 'check',
      passed: true,
      summary:
        'orders-writer.us-east-1 is unreachable now (>= 1 of 1 probes); a real run goes on probing for 60000 ms more before the fence holds',
    });
  });
});

import { describe, expect, it } from 'vitest';
import type { JournalEntry } from './journal-entry.js';
import { replayJournal } from './replay-journal.js';

const handle = { provider: 'fake', operation: 'Change', id: 'c-1', startedAt: 5 };
const before = { name: 'api', type: 'A', ttl: 60, routing: 'simple' as const, targets: [] };

const crashedRun: JournalEntry[] = [
  { type: 'run-start', runId: 'r1', at: 0, planId: 'p', fingerprint: 'f' },
  { type: 'step-start', runId: 'r1', at: 1, stepId: 'a' },
  {
    type: 'step-end',
    runId: 'r1',
    at: 3,
    stepId: 'a',
    status: 'succeeded',
    changed: true,
    startedAt: 1,
    attempts: 1,
    undo: { before },
  },
  { type: 'step-start', runId: 'r1', at: 4, stepId: 'b' },
  { type: 'step-intent', runId: 'r1', at: 4, stepId: 'b', operation: 'ensureRecordSet', before },
  { type: 'step-handle', runId: 'r1', at: 5, stepId: 'b', changed: true, before, handle },
];

describe('replayJournal', () => {
  it('finds completed and in-flight steps of an unfinished run', () => {
    const state = replayJournal(crashedRun, 'p', 'f')._unsafeUnwrap()!;
    expect(state.resumes).toBe('r1');
    expect([...state.completed.keys()]).toEqual(['a']);
    expect(state.completed.get('a')).toMatchObject({
      startedAt: 1,
      endedAt: 3,
      changed: true,
      undo: { before },
    });
    expect(state.inFlight.get('b')).toMatchObject({ intentBefore: { before }, ensured: { handle } });
  });

  it('follows a chain of resumed runs and keeps the first observation', () => {
    const state = replayJournal(
      [
        ...crashedRun,
        { type: 'run-start', runId: 'r2', at: 10, planId: 'p', fingerprint: 'f', resumes: 'r1' },
        {
          type: 'step-intent',
          runId: 'r2',
          at: 11,
          stepId: 'b',
          operation: 'ensureRecordSet',
          before: { ...before, ttl: 5 },
        },
        { type: 'run-end', runId: 'r2', at: 12, status: 'cancelled' },
      ],
      'p',
      'f',
    )._unsafeUnwrap()!;
    expect(state.resumes).toBe('r2');
    expect(state.chainStartedAt).toBe(0);
    expect(state.inFlight.get('b')!.intentBefore).toEqual({ before });
  });

  it('has nothing to resume after a finished run, or for another plan', () => {
    const finished = [
      ...crashedRun,
      { type: 'run-end', runId: 'r1', at: 9, status: 'failed' } as JournalEntry,
    ];
    expect(replayJournal(finished, 'p', 'f')._unsafeUnwrap()).toBeUndefined();
    expect(replayJournal(crashedRun, 'other', 'f')._unsafeUnwrap()).toBeUndefined();
  });

  it('refuses to resume a different version of the plan', () => {
    expect(replayJournal(crashedRun, 'p', 'changed')._unsafeUnwrapErr().kind).toBe('conflict');
  });
});

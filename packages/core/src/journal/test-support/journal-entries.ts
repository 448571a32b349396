import type { JournalEntry } from '../journal-entry.js';

// Journal entries of the three durability classes a file journal tells apart, for its
// tests: a start (written behind), a handle (written before it is acknowledged) and an
// intent (synced before it is acknowledged). Run `r1`, instant 1.

export const stepStart = (stepId: string): JournalEntry => ({
  type: 'step-start',
  runId: 'r1',
  at: 1,
  stepId,
});

export const stepHandle = (stepId: string): JournalEntry => ({
  type: 'step-handle',
  runId: 'r1',
  at: 1,
  stepId,
  changed: true,
  before: null,
});

export const stepIntent = (stepId: string): JournalEntry => ({
  type: 'step-intent',
  runId: 'r1',
  at: 1,
  stepId,
  operation: 'ensureRecordSet',
  before: null,
});

export {
  createFileJournal,
  type FileJournal,
  type FileJournalOptions,
  type LockHolder,
} from './file-journal.js';
export type { Journal, JournalLock } from './journal.js';
export type {
  JournalEntry,
  JournalEntryType,
  JournalLockHolderRecord,
  JournalRepairedEntry,
  JournalRollbackStatus,
  JournalRunStatus,
  JournalStepStatus,
  LockTakenOverEntry,
  ObservedState,
  RollbackStartEntry,
  RollbackStepEntry,
  RunEndEntry,
  RunStartEntry,
  StepEndEntry,
  StepHandleEntry,
  StepIntentEntry,
  StepStartEntry,
} from './journal-entry.js';
export { journalEntryProblem } from './journal-entry-schema.js';
export { journaledDetection, type RunStartWithDetection } from './journaled-detection.js';
export { lastRunChain, type RunChainSummary } from './last-run-chain.js';
export { createMemoryJournal, type MemoryJournal } from './memory-journal.js';
export {
  createObjectStoreJournal,
  type LockTakeoverRecord,
  type ObjectStoreJournal,
  type ObjectStoreJournalOptions,
} from './object-store-journal.js';
export { createMemoryObjectStore, type MemoryObjectStore } from './object-store-memory.js';
export type { JournalObjectStoreV1 } from './object-store-v1.js';
export { parseJournalLines } from './parse-journal-lines.js';
export { planFingerprint } from './plan-fingerprint.js';
export {
  type CompletedStepRecord,
  type InFlightStepRecord,
  type ResumeState,
  replayJournal,
} from './replay-journal.js';

import type { SerializedFailoverError } from '../errors/failover-error.js';
import type { CallTally } from '../executor/call-counts.js';
import type { StepEvidence } from '../executor/step-evidence.js';
import type { NodePool } from '../providers/cluster/node-pool.js';
import type { DatabaseTopology } from '../providers/database/database-topology.js';
import type { DnsRecordSet } from '../providers/dns/dns-record-set.js';
import type { OperationHandle } from '../providers/operation-handle.js';
import type { ResourceJson } from '../providers/resource/resource-json.js';

/**
 * What an action step observed before it changed anything: the state a rollback
 * restores. `null` is a DNS record set that did not exist (the step created it).
 * A resource step's state is the JSON object its provider observed.
 */
export type ObservedState = DnsRecordSet | DatabaseTopology | NodePool | ResourceJson | null;

/** How a run ended, as journaled. */
export type JournalRunStatus = 'succeeded' | 'failed' | 'rolled-back' | 'cancelled';

/** How one step ended, as journaled. Only `succeeded` steps are skipped on resume. */
export type JournalStepStatus = 'succeeded' | 'failed' | 'cancelled';

/** How undoing one step ended. */
export type JournalRollbackStatus = 'rolled-back' | 'failed' | 'irreversible' | 'skipped';

interface EntryBase {
  runId: string;
  /** Clock time (epoch ms, injected clock) when the entry was written. */
  at: number;
}

/** A run began. `resumes` names the unfinished run it continues. */
export interface RunStartEntry extends EntryBase {
  type: 'run-start';
  planId: string;
  /** Fingerprint of the plan document: a resume of a different plan version is refused. */
  fingerprint: string;
  resumes?: string;
  /**
   * Where the run's changes went, as the caller describes it (e.g. the emulator's
   * instance and seed): a resume refuses to continue against a different world.
   */
  environment?: Record<string, string>;
}

/** A step began (first attempt). */
export interface StepStartEntry extends EntryBase {
  type: 'step-start';
  stepId: string;
}

/**
 * Written (and flushed) just before a mutating call. `before` is what the step
 * observed, so a resumed run still knows the original state even when the
 * interrupted call had already changed it.
 */
export interface StepIntentEntry extends EntryBase {
  type: 'step-intent';
  stepId: string;
  /** The mutating method about to be called, e.g. `ensureRecordSet`. */
  operation: string;
  before: ObservedState;
}

/** Written right after an `ensure*` call returned: a resumed run waits on `handle` instead of ensuring again. */
export interface StepHandleEntry extends EntryBase {
  type: 'step-handle';
  stepId: string;
  changed: boolean;
  before: ObservedState;
  handle?: OperationHandle;
}

/** A step finished. `undo` is present when the step changed something a rollback could restore. */
export interface StepEndEntry extends EntryBase {
  type: 'step-end';
  stepId: string;
  status: JournalStepStatus;
  changed: boolean;
  startedAt: number;
  attempts: number;
  undo?: { before: ObservedState };
  error?: SerializedFailoverError;
  /** API and provider calls the step made, so a report rebuilt from the journal can count them. */
  calls?: CallTally;
  /** Why a fence held, where a size came from: the record an incident review needs. */
  evidence?: StepEvidence;
}

/** Rollback began, of these steps in this order. */
export interface RollbackStartEntry extends EntryBase {
  type: 'rollback-start';
  stepIds: string[];
}

/** One step was undone (or could not be). */
export interface RollbackStepEntry extends EntryBase {
  type: 'rollback-step';
  stepId: string;
  status: JournalRollbackStatus;
  error?: SerializedFailoverError;
}

/** A run ended. A run without this entry crashed; a `cancelled` run can be resumed too. */
export interface RunEndEntry extends EntryBase {
  type: 'run-end';
  status: JournalRunStatus;
}

/**
 * The journal was found with a torn last line (a crash while writing it) and was
 * cut back to its last complete entry before this run appended anything.
 */
export interface JournalRepairedEntry extends EntryBase {
  type: 'journal-repaired';
  /** 1-based line number of the torn line that was removed. */
  line: number;
  /** How many bytes were removed. */
  truncatedBytes: number;
}

/** A lock holder as a takeover entry records it. */
export interface JournalLockHolderRecord {
  runId: string;
  planId: string;
  pid?: number;
  hostname?: string;
  /** ISO time it took the lock. */
  acquiredAt?: string;
}

/**
 * This run took the journal's lock from a holder that is gone, and wrote this
 * before anything else: `take-over` names the holder (`--take-over <run id>` on
 * an object store), `force-unlock` removed whatever lock there was, `stale-lock`
 * replaced the lock of a dead process on this host. Replay ignores it; it is
 * the record an incident review reads (who took over whom, from which machine).
 */
export interface LockTakenOverEntry extends EntryBase {
  type: 'lock-taken-over';
  how: 'take-over' | 'force-unlock' | 'stale-lock';
  /** The previous holder; absent when its lock was unreadable. */
  previous?: JournalLockHolderRecord;
  /** The process that took it (the run is `runId`). */
  by: { pid: number; hostname: string; planId: string };
}

/** One line of the journal. Plain JSON, no secrets (errors are redacted). */
export type JournalEntry =
  | RunStartEntry
  | StepStartEntry
  | StepIntentEntry
  | StepHandleEntry
  | StepEndEntry
  | RollbackStartEntry
  | RollbackStepEntry
  | RunEndEntry
  | JournalRepairedEntry
  | LockTakenOverEntry;

/** The `type` of every journal entry. */
export type JournalEntryType = JournalEntry['type'];

import type { FailoverMode } from '../providers/database/database-desired-state.js';
import type { DnsDifference } from '../providers/dns/diff-dns-record-set.js';
import type { ResourceDifference } from '../providers/resource/resource-matches.js';
import type { StepRefusalSummary } from './action-precheck.js';

/** One value a step would change. */
export interface ValueChange<T> {
  from: T;
  to: T;
}

/**
 * What a step would do, as found by a dry-run from the world as it is now (a
 * dry-run applies nothing, so later steps are compared with today's state, not
 * with what earlier steps would have made of it).
 */
export type StepDiff =
  | {
      type: 'dns';
      wouldChange: boolean;
      differences: DnsDifference[];
      /** The provider's pre-check says `ensureRecordSet` would refuse this change. */
      refused?: StepRefusalSummary;
    }
  | {
      type: 'database';
      wouldChange: boolean;
      /** Present when the writer would move. `from` is null when there is no single writer. */
      writerRegion?: ValueChange<string | null>;
      /** Present when the plan names the writer member and it would change. */
      writerMember?: ValueChange<string | null>;
      /** Present when the plan names the writer's zone and it would change (an in-region failover). */
      writerZone?: ValueChange<string | null>;
      mode: FailoverMode;
      /** The provider's pre-check says `ensureWriter` would refuse this change. */
      refused?: StepRefusalSummary;
    }
  | {
      type: 'scale';
      wouldChange: boolean;
      desired?: ValueChange<number>;
      min?: ValueChange<number>;
      max?: ValueChange<number>;
      /** The provider's pre-check says `ensureSize` would refuse this change. */
      refused?: StepRefusalSummary;
    }
  | {
      type: 'resource';
      wouldChange: boolean;
      /** The fields of the desired state the resource differs in. */
      differences: ResourceDifference[];
      /** The provider's pre-check says `ensureResource` would refuse this change. */
      refused?: StepRefusalSummary;
    }
  | { type: 'check'; passed: boolean; actual: unknown; expected: unknown; summary: string }
  | { type: 'verify'; passesNow: boolean; actual: unknown; expected: unknown; summary: string }
  | { type: 'approval'; wouldAsk: true; message: string }
  | { type: 'wait'; wouldWaitMs: number }
  | { type: 'notify'; wouldNotify: { channel: string; message: string } };

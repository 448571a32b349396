import type { WatchSpec } from '../decision/watch-spec.js';
import type { PlanStep } from './step.js';

/** Recovery objectives the report measures the run against. */
export interface RecoveryObjectives {
  /** Recovery time objective: start of the plan to the last traffic step verified. */
  rtoMs?: number;
  /** Recovery point objective: the data loss the plan accepts (compared to replication lag in checks). */
  rpoMs?: number;
}

/**
 * A failover runbook as data. It serialises to JSON and back without loss:
 * steps name providers, and the provider objects are bound when it runs.
 */
export interface FailoverPlan {
  /** Format version of this document. */
  version: 1;
  id: string;
  name: string;
  description?: string;
  sourceRegion: string;
  targetRegion: string;
  /**
   * The target region's name in each other cloud, for a plan that spans clouds
   * (`westus`, `us-central1` beside `us-west-2`): database steps moving the writer
   * to one of them are where the plan means to go.
   */
  targetRegionAliases?: string[];
  objectives?: RecoveryObjectives;
  /**
   * Steps running at once, at most, unless the run's options say otherwise (the CLI's
   * `--concurrency`). Default 1,000: enough that a fleet of independent DNS names
   * switches in the time of one change, the services' rate budgets being the bound.
   */
  concurrency?: number;
  steps: PlanStep[];
  /**
   * Lets a forced database step run without an approval before it. The
   * validation report lists the opt-out so nobody misses it.
   */
  allowForcedWithoutApproval?: boolean;
  /** The health checks and decision policy `failover watch` runs this plan on. */
  watch?: WatchSpec;
}

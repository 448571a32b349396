import type { JsonPathAssertion } from '../health/json-path.js';
import type { SignalUnit } from '../health/signal-sample.js';
import type { DatabaseRef } from '../providers/database/database-topology.js';
import type { PolicyRule } from './decision-policy.js';
import type { HealthCheckSpec } from './health-check-spec.js';

/**
 * A core signal source declared in the plan document, so a JSON or YAML plan can
 * be watched without code. Sources needing code (several probe runners, a cloud's
 * metrics) are bound by id in the providers module instead.
 */
export type SignalSpec =
  | {
      id: string;
      type: 'http';
      url: string;
      method?: string;
      headers?: Record<string, string>;
      body?: string;
      /** Default: any 2xx. */
      expectStatus?: number;
      bodyIncludes?: string;
      json?: JsonPathAssertion[];
      maxLatencyMs?: number;
    }
  | { id: string; type: 'prometheus'; url: string; query: string; unit?: SignalUnit }
  | { id: string; type: 'replication-lag'; provider: string; database: DatabaseRef; region?: string }
  | { id: string; type: 'database-writer'; provider: string; database: DatabaseRef; region: string };

/** The policy part of a plan's `watch`: each field replaces the ADR default. */
export interface WatchPolicySpec {
  /** Replaces the whole list of rules. */
  rules?: PolicyRule[];
  minTimeInStateMs?: number;
  /** The policy's half of the golden rule; the plan's `watch.allowAutomaticPromotion` is the other. */
  allowAutomaticPromotion?: boolean;
}

/** How `failover watch` decides to run this plan. */
export interface WatchSpec {
  checks: HealthCheckSpec[];
  signals?: SignalSpec[];
  policy?: WatchPolicySpec;
  /**
   * The plan's half of the golden rule: an automatic failover may approve the
   * approval steps guarding a database promotion only when this AND the policy's
   * `allowAutomaticPromotion` are true. Default false: the promotion waits for a human.
   */
  allowAutomaticPromotion?: boolean;
}

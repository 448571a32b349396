import type { CallOptions } from '../call-options.js';

/** What `checkResource` is told besides the condition. */
export interface ResourceCheckOptions extends CallOptions {
  /** The plan's recovery point objective, when it names one (e.g. a backup's maximum age). */
  rpoMs?: number;
}

/** One evaluation of a condition on a resource, by observing only. */
export interface ResourceCheckObservation {
  passed: boolean;
  /** What was observed, as JSON (an age in ms, a phase...). */
  actual: unknown;
  /** What the condition asks for, e.g. `<= 3600000`. */
  expected: unknown;
  /** One sentence: actual against expected, for the report. No secrets. */
  summary: string;
}

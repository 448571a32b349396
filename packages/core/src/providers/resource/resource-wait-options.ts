import type { WaitOptions } from '../call-options.js';
import type { ResourceJson } from './resource-json.js';

/** Options of `waitForResource`. */
export interface ResourceWaitOptions extends WaitOptions {
  /**
   * The step's provider-defined wait condition (its `waitUntil`), e.g. `{ minReady: 3 }`
   * for a workload. Absent: the provider waits until the resource reads as desired.
   */
  until?: ResourceJson;
}

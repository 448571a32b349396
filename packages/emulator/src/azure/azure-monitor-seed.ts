/** Azure Monitor platform metrics scripted by a test, replayed on the emulator clock. */
export interface AzureMonitorSeed {
  metrics?: ScriptedAzureMetricSeed[];
}

/**
 * One metric of one resource: from `afterMs` after the emulator started it reads
 * `value` until the next point (`null`: no data, a point with only its timestamp).
 */
export interface ScriptedAzureMetricSeed {
  /** The resource's ARM id, e.g. `/subscriptions/…/resourceGroups/…/providers/Microsoft.Network/applicationGateways/agw-east`. */
  resourceId: string;
  /** e.g. `FailedRequests`, `ResponseStatus`, `cpu_percent`. */
  metricName: string;
  /** e.g. `Count`, `Percent`, `MilliSeconds`. Default `Count`. */
  unit?: string;
  points: Array<{ afterMs: number; value: number | null }>;
}

import type { HealthCheckTimelineStep } from './aws-seed.js';
import type { HealthCheck } from './route53-state.js';

/** What one Route 53 health checker last reported: its `StatusReport`. */
export type CheckerReport = { Status: string; CheckedTime: Date };

/** A checked endpoint that does not answer at all (its region dark, or nothing listening). */
const timedOut =
  'Failure: Connection timed out. The endpoint or the internet connection is down, or requests are being blocked by your firewall.';

/**
 * What the checker in `region` reported at its last check: each checker checks every
 * `requestInterval` seconds, staggered by its place in the list, so `CheckedTime` is the
 * last tick of its own grid at or before `now`, and the status is the timeline step in
 * force at that tick (a change shows up to one interval later). A dark target region
 * times out, whatever the timeline says.
 */
export function checkerReport(
  check: HealthCheck,
  region: string,
  index: number,
  now: number,
  startedAt: number,
  targetDark: boolean,
): CheckerReport {
  const intervalMs = check.requestInterval * 1000;
  const offsetMs = Math.floor((index * intervalMs) / 8);
  const checkedAt = Math.floor((now - offsetMs) / intervalMs) * intervalMs + offsetMs;
  if (targetDark) return { Status: timedOut, CheckedTime: new Date(checkedAt) };
  const step = stepAt(check.timeline, region, checkedAt - startedAt);
  const healthy = step?.healthy ?? check.endpointHealthy;
  return { Status: step?.status ?? defaultStatus(check.type, healthy), CheckedTime: new Date(checkedAt) };
}

/** The last step that has begun by `elapsedMs` and applies to `region`. */
function stepAt(
  timeline: readonly HealthCheckTimelineStep[] | undefined,
  region: string,
  elapsedMs: number,
): HealthCheckTimelineStep | undefined {
  let current: HealthCheckTimelineStep | undefined;
  for (const step of timeline ?? []) {
    if (step.afterMs > elapsedMs) continue;
    if (step.checkerRegions && !step.checkerRegions.includes(region)) continue;
    if (!current || step.afterMs >= current.afterMs) current = step;
  }
  return current;
}

/** Route 53's wording for an HTTP(S) or TCP check that passed, or for an endpoint that does not answer. */
function defaultStatus(type: string, healthy: boolean): string {
  if (!healthy) return timedOut;
  return type.startsWith('HTTP')
    ? 'Success: HTTP Status Code 200, OK'
    : 'Success: TCP connection established';
}

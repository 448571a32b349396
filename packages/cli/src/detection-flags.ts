import type { IncidentDetection } from '@failover/core';
import { CliError } from './cli-error.js';

/** `failover run`'s flags for a run started by hand after an incident was detected. */
export const detectionOptions = {
  'incident-started-at': { type: 'string' },
  'detected-at': { type: 'string' },
} as const;

/**
 * The detection of `--incident-started-at <iso>` (the first failing observation)
 * and `--detected-at <iso>` (when it was decided on): both or neither, the start
 * not after the detection. The report's time to detect is their difference.
 */
export function detectionOfFlags(values: {
  'incident-started-at'?: string;
  'detected-at'?: string;
}): IncidentDetection | undefined {
  const started = values['incident-started-at'];
  const detected = values['detected-at'];
  if (started === undefined && detected === undefined) return undefined;
  if (started === undefined || detected === undefined) {
    throw new CliError(
      '--incident-started-at and --detected-at go together: the time to detect is the time between them.',
    );
  }
  const startedAt = isoTime('incident-started-at', started);
  const detectedAt = isoTime('detected-at', detected);
  if (startedAt > detectedAt) {
    throw new CliError(`--incident-started-at (${started}) is after --detected-at (${detected}).`);
  }
  return { startedAt, detectedAt };
}

function isoTime(name: string, value: string): number {
  // A date and a time with its zone, as `date -u +%FT%TZ` prints it: a bare date or local time is ambiguous.
  const at = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)
    ? Date.parse(value)
    : Number.NaN;
  if (Number.isNaN(at)) {
    throw new CliError(
      `--${name} must be an ISO 8601 time with its zone, e.g. 2026-12-07T03:12:00Z; got "${value}".`,
    );
  }
  return at;
}

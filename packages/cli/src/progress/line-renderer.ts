import { formatDuration } from '@failover/core';
import type { Colors } from '../cli-colors.js';
import { describeEvent } from './describe-event.js';
import type { ProgressRenderer } from './progress-renderer.js';

/** Not a terminal: one plain line per event, prefixed with the time since the run started. */
export function lineRenderer(write: (text: string) => void, colors: Colors): ProgressRenderer {
  let startedAt: number | undefined;
  return {
    onEvent(event) {
      if (startedAt === undefined) startedAt = event.at;
      const start = startedAt;
      const line = describeEvent(event, colors);
      if (line === undefined) return;
      write(`${colors.dim(`+${formatDuration(event.at - start).padEnd(8)}`)} ${line}\n`);
    },
    pause() {},
    resume() {},
    close() {},
  };
}

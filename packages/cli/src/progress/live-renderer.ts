import type { ExecutorEvent } from '@failover/core';
import { formatDuration } from '@failover/core';
import type { Colors } from '../cli-colors.js';
import type { CliOutput } from '../cli-io.js';
import { describeEvent } from './describe-event.js';
import type { ProgressRenderer } from './progress-renderer.js';

interface RunningStep {
  id: string;
  kind: string;
  startedAt: number;
  attempt: number;
  /** What it is doing now: waiting on an operation, backing off before a retry, asking for approval. */
  activity?: string;
  /** Clock time the current activity ends (a retry delay), to count down. */
  until?: number;
}

const frames = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A terminal: finished steps scroll up as lines, and below them the running
 * steps are redrawn in place with their elapsed time, attempt and what they
 * wait on. `now` is the run's clock, so a drill shows emulated time.
 */
export function liveRenderer(
  output: CliOutput,
  colors: Colors,
  now: () => number,
  refreshMs = 100,
): ProgressRenderer {
  const running = new Map<string, RunningStep>();
  let drawn = 0;
  let frame = 0;
  let paused = false;
  let closed = false;
  let startedAt: number | undefined;
  let timer: NodeJS.Timeout | undefined;

  // Only the redrawn block is cut to the width: a wrapped line would break the cursor-up count.
  // A pseudo-terminal without a size reports 0 columns.
  const width = () => Math.max(20, (output.columns && output.columns > 0 ? output.columns : 120) - 1);
  const fit = (line: string) => truncateVisible(line, width());

  const clear = () => {
    if (drawn > 0) output.write(`\u001b[${drawn}A\u001b[0J`);
    drawn = 0;
  };

  const block = (): string[] => {
    if (running.size === 0) return [];
    const clock = now();
    const spinner = colors.cyan(frames[frame % frames.length]!);
    const idWidth = Math.min(32, Math.max(...[...running.values()].map((step) => step.id.length)));
    return [...running.values()].map((step) => {
      const parts = [
        `${spinner} ${step.id.padEnd(idWidth)}`,
        formatDuration(clock - step.startedAt).padStart(8),
      ];
      if (step.attempt > 1) parts.push(colors.yellow(`attempt ${step.attempt}`));
      if (step.activity) {
        const left = step.until !== undefined ? ` (${formatDuration(Math.max(0, step.until - clock))})` : '';
        parts.push(colors.dim(`${step.activity}${left}`));
      }
      return fit(`  ${parts.join('  ')}`);
    });
  };

  const draw = (scrolled: string[] = []) => {
    if (closed) return;
    clear();
    let text = '';
    for (const line of scrolled) text += `${line}\n`;
    if (!paused) {
      const lines = block();
      for (const line of lines) text += `${line}\n`;
      drawn = lines.length;
    }
    if (text !== '') output.write(text);
  };

  const track = (event: ExecutorEvent) => {
    switch (event.type) {
      case 'step-start':
        running.set(event.stepId, { id: event.stepId, kind: event.kind, startedAt: event.at, attempt: 1 });
        break;
      case 'step-retry': {
        const step = running.get(event.stepId);
        if (step) {
          step.attempt = event.attempt;
          step.activity = `retrying after ${event.error.kind}`;
          step.until = event.at + event.delayMs;
        }
        break;
      }
      case 'step-wait': {
        const step = running.get(event.stepId);
        if (step) {
          step.activity = `waiting on ${event.handle.provider} ${event.handle.operation}`;
          delete step.until;
        }
        break;
      }
      case 'approval-request': {
        const step = running.get(event.stepId);
        if (step) {
          step.activity = 'waiting for approval';
          step.until = event.at + event.timeoutMs;
        }
        break;
      }
      case 'step-end':
        running.delete(event.stepId);
        break;
      default:
        break;
    }
  };

  return {
    onEvent(event) {
      if (startedAt === undefined) startedAt = event.at;
      const start = startedAt;
      track(event);
      const line = describeEvent(event, colors);
      const stamp = colors.dim(`+${formatDuration(event.at - start).padEnd(8)}`);
      draw(line === undefined ? [] : [`${stamp} ${line}`]);
      if (event.type === 'plan-start' && !timer) {
        timer = setInterval(() => {
          frame++;
          if (!paused && running.size > 0) draw();
        }, refreshMs);
        timer.unref();
      }
    },
    pause() {
      clear();
      paused = true;
    },
    resume() {
      paused = false;
      draw();
    },
    close() {
      if (timer) clearInterval(timer);
      clear();
      closed = true;
    },
  };
}

/** Cuts a line to `width` visible characters, keeping ANSI escapes intact. */
function truncateVisible(line: string, width: number): string {
  let visible = 0;
  let out = '';
  for (let index = 0; index < line.length; index++) {
    if (line[index] === '\u001b') {
      const end = line.indexOf('m', index);
      if (end >= 0) {
        out += line.slice(index, end + 1);
        index = end;
        continue;
      }
    }
    if (visible >= width) continue;
    out += line[index];
    visible++;
  }
  return out;
}

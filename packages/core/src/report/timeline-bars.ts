import type { StepStatus } from '../executor/run-result.js';
import type { ReportStep, RunReport } from './run-report.js';

/** How a bar is drawn: what happened to its steps, and whether it is on the critical path. */
export type BarState = 'succeeded' | 'failed' | 'rolled-back' | 'skipped';

/** One bar of a run's timeline: a step, or a run of steps of a wide group collapsed into one. */
export interface TimelineBar {
  /** The step's id, or the first collapsed step's id. */
  id: string;
  label: string;
  state: BarState;
  /** Offsets from the start of the run. */
  startMs: number;
  endMs: number;
  critical: boolean;
  /** An approval or a timed wait: time spent waiting on a person or a soak, not on a cloud. */
  waiting: boolean;
  /** How many steps the bar stands for (1 unless collapsed). */
  count: number;
}

/** Bars of one section: a cloud (`aws`), or `run` for steps that call no cloud. */
export interface TimelineSection {
  name: string;
  bars: TimelineBar[];
}

/** Options of `timelineSections`. */
export interface TimelineOptions {
  /**
   * Most bars of one state drawn one per step in a section; beyond it, steps of that
   * state that overlap in time collapse into one bar with a count. Default 12.
   */
  maxBarsPerState?: number;
}

/**
 * The run's timeline as sections of bars, for the Gantt chart of the Markdown
 * report and the HTML report's picture. Steps that never started are left out.
 * Critical-path steps are always drawn alone; the rest of a wide group collapses,
 * so the output stays bounded however many steps ran.
 */
export function timelineSections(report: RunReport, options: TimelineOptions = {}): TimelineSection[] {
  const limit = options.maxBarsPerState ?? 12;
  const critical = new Set(report.criticalPath.stepIds);
  const bySection = new Map<string, ReportStep[]>();
  for (const step of report.steps) {
    if (step.startOffsetMs === undefined) continue;
    const name = step.cloud ?? 'run';
    const list = bySection.get(name);
    if (list) list.push(step);
    else bySection.set(name, [step]);
  }
  const sections: TimelineSection[] = [];
  for (const [name, steps] of bySection) {
    const bars: TimelineBar[] = [];
    const rest = new Map<BarState, ReportStep[]>();
    for (const step of steps) {
      if (critical.has(step.id)) bars.push(barOf(step, true));
      else {
        const state = barState(step);
        const group = rest.get(state);
        if (group) group.push(step);
        else rest.set(state, [step]);
      }
    }
    for (const [state, group] of rest) {
      if (group.length <= limit) bars.push(...group.map((step) => barOf(step, false)));
      else bars.push(...collapse(group, state));
    }
    bars.sort((a, b) => a.startMs - b.startMs || a.endMs - b.endMs);
    sections.push({ name, bars });
  }
  return sections.sort((a, b) =>
    a.name === 'run' ? 1 : b.name === 'run' ? -1 : a.name.localeCompare(b.name),
  );
}

export function barState(step: ReportStep): BarState {
  if (step.rollback?.status === 'rolled-back') return 'rolled-back';
  return stateOf(step.status);
}

function stateOf(status: StepStatus): BarState {
  switch (status) {
    case 'succeeded':
      return 'succeeded';
    case 'failed':
      return 'failed';
    case 'cancelled':
    case 'skipped':
      return 'skipped';
  }
}

function barOf(step: ReportStep, critical: boolean): TimelineBar {
  const startMs = step.startOffsetMs ?? 0;
  return {
    id: step.id,
    label: step.name === step.id ? step.id : `${step.name} (${step.id})`,
    state: barState(step),
    startMs,
    endMs: Math.max(startMs, step.endOffsetMs ?? startMs + step.durationMs),
    critical,
    waiting: step.kind === 'approval' || step.kind === 'wait',
    count: 1,
  };
}

// Steps of one state whose intervals overlap (a wide group running together) become one bar.
function collapse(steps: readonly ReportStep[], state: BarState): TimelineBar[] {
  const sorted = steps.map((step) => barOf(step, false)).sort((a, b) => a.startMs - b.startMs);
  const merged: TimelineBar[] = [];
  for (const bar of sorted) {
    const last = merged[merged.length - 1];
    if (last && bar.startMs <= last.endMs) {
      last.endMs = Math.max(last.endMs, bar.endMs);
      last.count += 1;
      last.waiting &&= bar.waiting;
    } else merged.push({ ...bar });
  }
  for (const bar of merged) if (bar.count > 1) bar.label = `${bar.count} steps ${state} (from ${bar.id})`;
  return merged;
}

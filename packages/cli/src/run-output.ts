import type { RunResult, StepDiff, StepResult } from '@failover/core';
import { formatDuration } from '@failover/core';
import type { Colors } from './cli-colors.js';

/** Dry-run: what every step would do, in run order. */
export function renderDryRun(result: RunResult, colors: Colors): string {
  const lines = [colors.bold(`Dry-run of ${result.planId}: what each step would do (nothing was changed).`)];
  let changes = 0;
  for (const step of result.steps) {
    const diff = result.diffs?.[step.stepId] ?? step.diff;
    const { mark, text, detail } = describeDiff(step, diff, colors);
    if (diff && 'wouldChange' in diff && diff.wouldChange) changes++;
    lines.push(`  ${mark} ${step.stepId}: ${text}`);
    for (const line of detail) lines.push(`      ${line}`);
  }
  lines.push(
    changes === 0
      ? 'No step would change anything.'
      : `${changes} step${changes === 1 ? '' : 's'} would change something.`,
  );
  for (const line of refusalLines(result, colors)) lines.push(line);
  return `${lines.join('\n')}\n`;
}

function describeDiff(
  step: StepResult,
  diff: StepDiff | undefined,
  colors: Colors,
): { mark: string; text: string; detail: string[] } {
  if (step.status === 'failed' || !diff) {
    const why = step.error ? `${step.error.kind}: ${step.error.message}` : step.status;
    return { mark: colors.red('✗'), text: `could not be evaluated (${why})`, detail: [] };
  }
  const change = colors.yellow('~');
  const same = colors.dim('=');
  // The provider's pre-check says the run's ensure would refuse this change.
  if ('refused' in diff && diff.refused) {
    return {
      mark: colors.red('✗'),
      text: `would be REFUSED by the provider: ${diff.refused.kind}: ${diff.refused.message}`,
      detail: [],
    };
  }
  switch (diff.type) {
    case 'dns':
      return diff.wouldChange
        ? {
            mark: change,
            text: 'would change the record set',
            detail: diff.differences.map(
              (difference) =>
                `${difference.path || '(record set)'}: ${show(difference.from)} -> ${show(difference.to)}`,
            ),
          }
        : { mark: same, text: 'record set already as desired', detail: [] };
    case 'database':
      return diff.wouldChange
        ? {
            mark: change,
            text: `would move the writer${diff.writerRegion ? ` ${diff.writerRegion.from ?? '(none)'} -> ${diff.writerRegion.to}` : ''} (${diff.mode})`,
            detail: [
              ...(diff.writerMember
                ? [`member: ${show(diff.writerMember.from)} -> ${show(diff.writerMember.to)}`]
                : []),
              ...(diff.writerZone
                ? [`zone: ${show(diff.writerZone.from)} -> ${show(diff.writerZone.to)}`]
                : []),
            ],
          }
        : { mark: same, text: 'writer already where the plan asks', detail: [] };
    case 'scale': {
      const detail = (['desired', 'min', 'max'] as const).flatMap((field) => {
        const value = diff[field];
        return value ? [`${field}: ${value.from} -> ${value.to}`] : [];
      });
      return diff.wouldChange
        ? { mark: change, text: 'would resize the pool', detail }
        : { mark: same, text: 'pool already at the desired size', detail: [] };
    }
    case 'resource':
      return diff.wouldChange
        ? {
            mark: change,
            text: 'would change the resource',
            detail: diff.differences.map(
              (difference) => `${difference.path}: ${show(difference.from)} -> ${show(difference.to)}`,
            ),
          }
        : { mark: same, text: 'resource already as desired', detail: [] };
    case 'check':
      return diff.passed
        ? { mark: colors.green('✓'), text: `check passes now: ${diff.summary}`, detail: [] }
        : { mark: colors.red('✗'), text: `check FAILS now: ${diff.summary}`, detail: [] };
    case 'verify':
      return diff.passesNow
        ? { mark: colors.green('✓'), text: `would verify (passes now): ${diff.summary}`, detail: [] }
        : { mark: colors.dim('…'), text: `would wait until: ${diff.summary}`, detail: [] };
    case 'approval':
      return { mark: colors.yellow('?'), text: `would ask for approval: ${diff.message}`, detail: [] };
    case 'wait':
      return { mark: colors.dim('…'), text: `would wait ${formatDuration(diff.wouldWaitMs)}`, detail: [] };
    case 'notify':
      return {
        mark: colors.dim('»'),
        text: `would notify ${diff.wouldNotify.channel}: ${diff.wouldNotify.message}`,
        detail: [],
      };
  }
}

/** Every step a provider's pre-check refuses, with its id: the run would fail there, so fix these first. */
function refusalLines(result: RunResult, colors: Colors): string[] {
  const refusals = result.refusals ?? [];
  if (refusals.length === 0) return [];
  return [
    colors.red(
      `${refusals.length} step${refusals.length === 1 ? '' : 's'} refused by the providers' pre-checks${result.dryRun ? ' (the run would fail there)' : '; nothing was changed'}:`,
    ),
    ...refusals.map((refusal) => `  ${refusal.stepId}: ${refusal.error.kind}: ${refusal.error.message}`),
  ];
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '(none)';
  const text = JSON.stringify(value);
  return text.length > 160 ? `${text.slice(0, 157)}...` : text;
}

/**
 * The few lines after a run: status, RTO, rollback, API calls, and where the full
 * report is (`reportCommand`, from `reportCommandLine`, when the run was journaled).
 */
export function renderRunSummary(result: RunResult, colors: Colors, reportCommand?: string): string {
  const report = result.report;
  const status =
    result.status === 'succeeded'
      ? colors.green(result.status)
      : result.status === 'cancelled'
        ? colors.yellow(result.status)
        : colors.red(result.status);
  const lines = [
    `${colors.bold('Run')} ${result.runId} of ${result.planId}: ${status} in ${formatDuration(report.durationMs)}.`,
  ];
  if (result.error) lines.push(`  ${colors.red('error')} ${result.error.kind}: ${result.error.message}`);
  if (report.rto.achievedMs !== null) {
    const objective =
      report.rto.objectiveMs !== undefined
        ? ` (objective ${formatDuration(report.rto.objectiveMs)}${report.rto.met === false ? ', missed' : ', met'})`
        : '';
    lines.push(`  RTO ${formatDuration(report.rto.achievedMs)}${objective}`);
  }
  if (report.rollback) {
    lines.push(
      `  rollback ${report.rollback.status}: ${report.rollback.stepIds.join(', ') || 'nothing to undo'}${report.rollback.irreversible.length > 0 ? `; not undone: ${report.rollback.irreversible.join(', ')}` : ''}`,
    );
  }
  for (const line of refusalLines(result, colors)) lines.push(`  ${line}`);
  if (result.partialFailover) {
    lines.push(`  ${colors.red(result.partialFailover.summary)}`);
    if (result.partialFailover.unfinished.length > 0) {
      lines.push(`  the operator must finish: ${result.partialFailover.unfinished.join(', ')}`);
    }
  }
  const calls = Object.entries(report.apiCalls.byProvider)
    .map(([name, counts]) => `${name} ${counts.apiCalls} (${counts.mutatingApiCalls} mutating)`)
    .join(', ');
  lines.push(`  API calls: ${report.apiCalls.total.apiCalls}${calls ? ` - ${calls}` : ''}`);
  const resumedSteps = result.steps.filter((step) => step.resumed).length;
  if (resumedSteps > 0)
    lines.push(
      `  ${resumedSteps} step${resumedSteps === 1 ? '' : 's'} completed in an earlier run were skipped.`,
    );
  if (reportCommand) lines.push(colors.dim(`  Full report: ${reportCommand}`));
  return `${lines.join('\n')}\n`;
}

/** The `failover report` command that rebuilds a journaled run's report, quoted for a POSIX shell. */
export function reportCommandLine(journalPath: string, planPath: string): string {
  return `failover report ${shellQuote(journalPath)} --plan ${shellQuote(planPath)}`;
}

function shellQuote(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

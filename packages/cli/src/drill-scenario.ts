import type { CompiledPlan, RunResult } from '@failover/core';
import { blackoutsPath, type RegionBlackout } from '@failover/emulator';
import { CliError, describeThrown } from './cli-error.js';
import type { ProvidersSource } from './load-providers.js';

/** What `--scenario <name>` does to the emulator once the warm-up pass is over and before the run. */
export interface DrillScenario {
  description: string;
  blackouts: RegionBlackout[];
}

/** The `scenarios[name]` export of the providers module; a CliError naming the known ones otherwise. */
export function scenarioOf(source: ProvidersSource | undefined, name: string): DrillScenario {
  const scenarios = source?.exports.scenarios as Record<string, DrillScenario> | undefined;
  const scenario = scenarios && typeof scenarios === 'object' ? scenarios[name] : undefined;
  if (!scenario || !Array.isArray(scenario.blackouts)) {
    const known = scenarios && typeof scenarios === 'object' ? Object.keys(scenarios) : [];
    throw new CliError(
      `--scenario ${name}: the providers module${source ? ` ${source.displayPath}` : ''} has no such scenario (its scenarios export names ${known.length > 0 ? known.join(', ') : 'none'}).`,
    );
  }
  return scenario;
}

/** Blacks out the scenario's regions through the emulator's control API (embedded or at a URL alike). */
export async function applyScenario(url: string, scenario: DrillScenario): Promise<void> {
  for (const blackout of scenario.blackouts) {
    let response: Response;
    try {
      response = await fetch(`${url}${blackoutsPath}`, { method: 'POST', body: JSON.stringify(blackout) });
    } catch (thrown) {
      throw new CliError(
        `Could not black out ${blackout.cloud} ${blackout.region}: ${describeThrown(thrown)}`,
      );
    }
    if (!response.ok) {
      throw new CliError(
        `Could not black out ${blackout.cloud} ${blackout.region}: the emulator answered ${response.status} ${await response.text()}`,
      );
    }
    await response.body?.cancel();
  }
}

/**
 * The drill's closing lines: what went dark, the achieved RTO, and the data-loss window,
 * bounded by the replication lag the warm-up pass observed before the outage (the writes
 * the old primary had acknowledged and not yet shipped are what a forced promotion loses).
 */
export function describeScenarioOutcome(
  name: string,
  scenario: DrillScenario,
  compiled: CompiledPlan,
  warmUp: RunResult | undefined,
  result: RunResult,
): string {
  const lines = [`## Scenario: ${name}`, '', `${scenario.description}.`, ''];
  const rto = result.report.rto;
  lines.push(
    `- Achieved RTO: ${rto.achievedMs === null ? 'not achieved' : `${(rto.achievedMs / 1000).toFixed(1)} s`}${rto.objectiveMs !== undefined ? ` (objective ${(rto.objectiveMs / 1000).toFixed(0)} s${rto.met === undefined ? '' : rto.met ? ', met' : ', missed'})` : ''}`,
  );
  const lags = [...compiled.steps.values()]
    .filter(
      ({ step }) =>
        (step.kind === 'check' || step.kind === 'verify') && step.check.type === 'replication-lag',
    )
    .map(({ step }) => ({ id: step.id, diff: warmUp?.diffs?.[step.id] }))
    .filter((entry) => entry.diff?.type === 'check' && typeof entry.diff.actual === 'number');
  if (lags.length > 0) {
    const worst = Math.max(...lags.map((entry) => (entry.diff as { actual: number }).actual));
    lines.push(
      `- Data-loss window: at most ${worst} ms of writes (replication lag observed by ${lags.map((entry) => `\`${entry.id}\``).join(', ')} at ${new Date(warmUp!.startedAt).toISOString()}, before the outage)`,
    );
  } else {
    lines.push(
      '- Data-loss window: unknown (the plan has no replication-lag check to observe before the outage)',
    );
  }
  const forced = result.steps.filter(
    (step) => step.status === 'succeeded' && compiled.steps.get(step.stepId)?.step.kind === 'action',
  );
  lines.push(
    `- Steps that changed something: ${
      forced
        .filter((step) => step.changed)
        .map((step) => `\`${step.stepId}\``)
        .join(', ') || 'none'
    }`,
  );
  return `${lines.join('\n')}\n`;
}

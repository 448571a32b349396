import { type FailoverPlan, type RunResult, realTime, runPlan, type StepRefusal } from '@failover/core';
import { CliError } from './cli-error.js';
import { connectEmulator, type EmulatorSession } from './emulator-session.js';
import { type LoadedPlan, validateLoadedPlan } from './load-plan.js';
import { providersSourceFrom, resolveProviders } from './load-providers.js';

/** What `failover validate --providers` found beyond the plan document. */
export interface ProviderValidation {
  /** Action steps whose provider has a pre-check, observed and pre-checked. */
  checked: number;
  /** Every step a provider's pre-check refuses, with its id. */
  refusals: StepRefusal[];
  /** The dry-run itself: every step's diff (what `failover plan` prints). */
  dryRun: RunResult;
}

/**
 * Validates a loaded plan against its providers (bound, of the right kind, with the
 * capabilities its steps need), then observes every action and asks its provider's
 * pre-check, read-only, as a dry-run does: what the run would refuse, before any run.
 */
export async function validateWithProviders(
  loaded: LoadedPlan,
  options: { providersPath: string | undefined; emulatorUrl: string | undefined; cwd: string },
): Promise<ProviderValidation> {
  const source = await providersSourceFrom(
    options.providersPath,
    options.cwd,
    loaded.module,
    loaded.displayPath,
  );
  let emulator: EmulatorSession | undefined;
  if (options.emulatorUrl !== undefined) emulator = await connectEmulator(options.emulatorUrl, 1);
  try {
    const providers = await resolveProviders(
      source,
      loaded.plan,
      loaded.displayPath,
      emulator ? { emulator: emulator.context } : {},
    );
    validateLoadedPlan(loaded, providers);
    const dry = await runPlan(loaded.plan as FailoverPlan, {
      providers,
      dryRun: true,
      time: emulator?.context.clock ?? realTime,
    });
    if (dry.isErr()) {
      throw new CliError(`Observing the plan's steps failed: ${dry.error.kind}: ${dry.error.message}`, {
        cause: dry.error,
      });
    }
    const checked = dry.value.steps.filter((step) => step.kind === 'action' && step.diff).length;
    return { checked, refusals: dry.value.refusals ?? [], dryRun: dry.value };
  } finally {
    await emulator?.stop();
  }
}

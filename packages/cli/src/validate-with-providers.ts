import {
  type FailoverPlan,
  PlanValidationError,
  type RunResult,
  realTime,
  runPlan,
  type StepRefusal,
} from '@failover/core';
import { CliError } from './cli-error.js';
import { connectEmulator, type EmulatorSession } from './emulator-session.js';
import { invalidPlanError, type LoadedPlan, validateLoadedPlan } from './load-plan.js';
import { providersSourceFrom, resolveProviders } from './load-providers.js';
import { loadNotifications, type NotificationOptions } from './notifications/load-notifications.js';

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
  options: {
    providersPath: string | undefined;
    emulatorUrl: string | undefined;
    cwd: string;
    /** `--notify` / `--notifications`: notify steps must have a notifier bound, as in a run. */
    notifications?: NotificationOptions;
    env?: Readonly<Record<string, string | undefined>>;
  },
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
    const { notifier } = await loadNotifications(options.notifications ?? { flags: [] }, {
      cwd: options.cwd,
      env: options.env ?? {},
      ...(emulator && { emulator: { url: emulator.url } }),
    });
    const dry = await runPlan(loaded.plan as FailoverPlan, {
      providers,
      ...(notifier && { notifier }),
      dryRun: true,
      time: emulator?.context.clock ?? realTime,
    });
    if (dry.isErr()) {
      // A notify step with no notifier bound: the same invalid plan a run would refuse.
      if (PlanValidationError.isInstance(dry.error))
        throw invalidPlanError(loaded.displayPath, dry.error.problems);
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

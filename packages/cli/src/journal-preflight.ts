import {
  type CompiledPlan,
  type FileJournal,
  type Journal,
  lastRunChain,
  planFingerprint,
  type RunChainSummary,
  replayJournal,
} from '@failover/core';
import { CliError } from './cli-error.js';
import { exitCodes } from './cli-exit-codes.js';

/** What the journal says about the run about to start. */
export type JournalPreflight =
  /** Nothing to continue (an empty journal, or `--resume` not asked and nothing unfinished). */
  | { kind: 'fresh'; completed: ReadonlySet<string> }
  /** `--resume` of an unfinished run: these steps completed earlier. */
  | { kind: 'resume'; completed: ReadonlySet<string> }
  /** `--resume` of a run that already finished: nothing is run, the outcome is reported. */
  | { kind: 'finished'; chain: RunChainSummary & { status: NonNullable<RunChainSummary['status']> } };

export interface JournalPreflightOptions {
  /** As the user gave it, for messages. */
  journalPath: string;
  resume: boolean;
  /** Where this run's changes will go (`runEnvironment`); a resume must find the same. */
  environment: Record<string, string>;
  /** The embedded emulator of a drill: a fresh world every time. */
  embeddedEmulator: boolean;
  /** `--force-unlock`: the operator says the holder is gone; its lock is not reported. */
  forceUnlock: boolean;
}

/**
 * Reads the journal before anything is sent:
 * - a live run holding its lock is named (pid, host, since), not mistaken for a crashed one;
 * - an unfinished run of this plan is resumed only when asked (`--resume`), never
 *   silently started over, and only against the same world it changed (the
 *   emulator's identity and seed are in the journal);
 * - `--resume` of a run that already finished is refused with its outcome;
 * - a journal of a different plan version, or an unreadable one, is refused.
 */
export async function checkJournal(
  journal: FileJournal,
  compiled: CompiledPlan,
  options: JournalPreflightOptions,
): Promise<JournalPreflight> {
  const path = options.journalPath;
  const holder = options.forceUnlock ? undefined : journal.lockHolder();
  if (holder) {
    throw new CliError(
      `Another run holds the lock of the journal ${path}: run ${holder.runId} of plan ${holder.planId} (pid ${holder.pid} on ${holder.hostname}, since ${holder.acquiredAt}). Wait for it to end; if that process is gone, use ${/^[a-z][a-z0-9+.-]*:\/\//i.test(path) && !path.startsWith('file:') ? `--take-over ${holder.runId}` : '--force-unlock'}.`,
      { exitCode: exitCodes.failed },
    );
  }
  const entries = await journal.read();
  if (entries.isErr()) throw new CliError(`Could not read the journal ${path}: ${entries.error.message}`);
  const planId = compiled.plan.id;
  const chain = lastRunChain(entries.value, planId);
  if (options.resume && chain?.status !== undefined && chain.status !== 'cancelled') {
    return { kind: 'finished', chain: { ...chain, status: chain.status } };
  }
  const replayed = replayJournal(entries.value, planId, planFingerprint(compiled.plan));
  if (replayed.isErr()) throw new CliError(`Cannot use the journal ${path}: ${replayed.error.message}`);
  const state = replayed.value;
  if (!state) return { kind: 'fresh', completed: new Set() };
  if (!options.resume) {
    throw new CliError(
      `The journal ${path} holds an unfinished run (${state.resumes}) of plan ${planId} with ${state.completed.size} completed step${state.completed.size === 1 ? '' : 's'}; pass --resume to continue it, or use another journal file.`,
    );
  }
  checkSameWorld(chain?.environment ?? {}, options, state.resumes);
  return { kind: 'resume', completed: new Set(state.completed.keys()) };
}

/** Where a run's changes go, as recorded in its journal: the emulator's identity and seed, or nothing for the real clouds. */
export function runEnvironment(
  emulator: { instanceId?: string; seedDigest?: string } | undefined,
): Record<string, string> {
  if (!emulator) return {};
  return {
    emulator: emulator.instanceId ?? 'unidentified',
    ...(emulator.seedDigest !== undefined && { emulatorSeed: emulator.seedDigest }),
  };
}

/** The journal, with `environment` recorded in every run-start it writes. */
export function journalWithEnvironment(journal: Journal, environment: Record<string, string>): Journal {
  if (Object.keys(environment).length === 0) return journal;
  return {
    acquireLock: (planId, runId) => journal.acquireLock(planId, runId),
    append: (entry) => journal.append(entry.type === 'run-start' ? { ...entry, environment } : entry),
    read: () => journal.read(),
    ...(journal.flush && { flush: () => journal.flush!() }),
  };
}

/** The message of a `--resume` that found the run already finished. */
export function describeFinishedRun(
  chain: RunChainSummary & { status: string },
  journalPath: string,
  reportCommand: string,
): string {
  return `Nothing to resume: run ${chain.runId} recorded in ${journalPath} already finished (${chain.status}); nothing was sent. Its report: ${reportCommand}\n`;
}

function checkSameWorld(
  recorded: Record<string, string>,
  options: JournalPreflightOptions,
  runId: string,
): void {
  const current = options.environment;
  const same =
    recorded.emulator !== 'unidentified' &&
    Object.keys(recorded).length === Object.keys(current).length &&
    Object.entries(recorded).every(([key, value]) => current[key] === value);
  if (same) return;
  const describe = (environment: Record<string, string>) =>
    environment.emulator === undefined
      ? 'the real clouds'
      : `emulator ${environment.emulator}${environment.emulatorSeed ? ` (seed sha256 ${environment.emulatorSeed.slice(0, 12)})` : ''}`;
  const why = options.embeddedEmulator
    ? ' A drill starts a freshly seeded emulator every time, so the changes the run made are not in it: run the drill again with a new journal.'
    : ' Resuming elsewhere would skip steps as done in a world where they were never done: resume against the same one, or start over with a new journal.';
  throw new CliError(
    `Cannot resume run ${runId} from the journal ${options.journalPath}: it ran against ${describe(recorded)}, and this run would act on ${describe(current)}.${why}`,
  );
}

import {
  clockPath,
  createDeterministicClock,
  createEmulatorClock,
  type EmulatorSeed,
  type EmulatorService,
  type ServiceContext,
  startEmulator,
} from '@failover/emulator';
import { CliError, describeThrown } from './cli-error.js';
import type { EmulatorContext } from './load-providers.js';

/** An emulator a run talks to, and how to let go of it. */
export interface EmulatorSession {
  context: EmulatorContext;
  /** Where the user can watch it, for messages. */
  url: string;
  /** Which emulator world this is (recorded in the journal, so a resume can check it is the same). */
  identity: { instanceId?: string; seedDigest?: string };
  /**
   * On a deterministic clock: keeps time still until the returned function is called
   * (while a human is asked for an approval, say). Absent on a scaled clock.
   */
  hold?: () => () => void;
  stop(): Promise<void>;
}

/**
 * How the embedded emulator's clock moves: `deterministic` (the drill's default) only
 * when this process is idle, jumping to the next timer, so real latency never reaches
 * the timeline; `scaled` with the wall clock, `timeScale` times faster.
 */
export type EmbeddedClockMode = 'deterministic' | 'scaled';

/** Starts the emulator in this process (`failover drill`, `run --emulator`), seeded with the providers module's world. */
export async function startEmbeddedEmulator(options: {
  seed?: EmulatorSeed;
  /** Default `scaled`. */
  clock?: EmbeddedClockMode;
  /** Emulator time per real time, on a `scaled` clock. */
  timeScale: number;
  services?: ReadonlyArray<(context: ServiceContext) => EmulatorService>;
}): Promise<EmulatorSession> {
  // The executor, the SDK clients and the emulator share this one clock: it holds still
  // while any of this process's requests is being sent or answered.
  const deterministic =
    options.clock === 'deterministic' ? createDeterministicClock({ watchProcess: true }) : undefined;
  try {
    const emulator = await startEmulator({
      ...(options.seed && { seed: options.seed }),
      ...(deterministic ? { clock: deterministic } : { timeScale: options.timeScale }),
      ...(options.services && { extraServices: options.services }),
    });
    return {
      context: {
        url: emulator.url,
        clock: emulator.clock,
        ...(deterministic && { random: seededJitter(1) }),
      },
      url: emulator.url,
      identity: { instanceId: emulator.instanceId, seedDigest: emulator.seedDigest },
      ...(deterministic && { hold: () => deterministic.hold() }),
      stop: async () => {
        await emulator.stop();
        deterministic?.dispose();
      },
    };
  } catch (thrown) {
    deterministic?.dispose();
    throw new CliError(`Could not start the embedded emulator: ${describeThrown(thrown)}`, { cause: thrown });
  }
}

/**
 * An emulator running elsewhere (`run --emulator <url>`). Its clock cannot be
 * shared across processes, so the run keeps its own, started at the emulator's
 * time and scale as read from its clock endpoint.
 */
export async function connectEmulator(url: string, timeScale: number): Promise<EmulatorSession> {
  let base: URL;
  try {
    base = new URL(url);
  } catch {
    throw new CliError(`--emulator needs an http URL such as http://127.0.0.1:4510, got "${url}".`);
  }
  if (base.protocol !== 'http:' && base.protocol !== 'https:') {
    throw new CliError(`--emulator needs an http URL such as http://127.0.0.1:4510, got "${url}".`);
  }
  const normalised = base.href.replace(/\/$/, '');
  let remote: { now?: unknown; timeScale?: unknown; instanceId?: unknown; seedDigest?: unknown } = {};
  try {
    const response = await fetch(`${normalised}${clockPath}`, { signal: AbortSignal.timeout(5_000) });
    if (response.ok) remote = (await response.json()) as typeof remote;
    else await response.body?.cancel();
  } catch (thrown) {
    throw new CliError(`Cannot reach the emulator at ${normalised}: ${describeThrown(thrown)}.`, {
      cause: thrown,
    });
  }
  // Start the run's clock where the emulator's is, so time windows (CloudWatch) agree.
  // The emulator's own scale wins; --time-scale only matters for an emulator that does not say.
  const startAt = typeof remote.now === 'number' ? remote.now : Date.now();
  const scale = typeof remote.timeScale === 'number' && remote.timeScale > 0 ? remote.timeScale : timeScale;
  return {
    context: { url: normalised, clock: createEmulatorClock({ timeScale: scale, startAt }) },
    url: normalised,
    identity: {
      ...(typeof remote.instanceId === 'string' && { instanceId: remote.instanceId }),
      ...(typeof remote.seedDigest === 'string' && { seedDigest: remote.seedDigest }),
    },
    stop: async () => {},
  };
}

/** mulberry32: the same jitter, in the same order, on every run of a deterministic drill. */
function seededJitter(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

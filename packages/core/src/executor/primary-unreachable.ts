import { FailoverError } from '../errors/failover-error.js';
import { redact } from '../errors/redact.js';
import type { CheckSpec } from '../plan/check-spec.js';
import { err, ok, type Result } from '../result.js';
import { providerCounts } from './call-counts.js';
import type { CheckObservation } from './evaluate-check.js';
import type { CallScope } from './run-context.js';
import type { ProbeObservation, ProbeRound, UnreachableEvidence } from './step-evidence.js';

type UnreachableCheck = Extract<CheckSpec, { type: 'primary-unreachable' }>;

/** The probes' pseudo-provider name in call counts. */
export const reachabilityProbeProvider = 'probe';

/**
 * A fence by evidence. Probes every target at once, round after round every
 * `intervalMs`, until `forMs` has passed since the first round: it holds when
 * every round found the old primary unreachable by at least `quorum` probes.
 * One round where fewer did ends it at once with `passed: false` (the primary
 * may be alive: a forced promotion must not run). A dry-run probes one round
 * and reports whether it holds now.
 */
export async function evaluatePrimaryUnreachable(
  scope: CallScope,
  check: UnreachableCheck,
): Promise<Result<CheckObservation, FailoverError>> {
  const { time } = scope.ctx;
  const quorum = check.quorum ?? Math.floor(check.probes.length / 2) + 1;
  const intervalMs = check.intervalMs ?? 5_000;
  const start = time.now();
  const rounds: ProbeRound[] = [];
  const expected = `unreachable by >= ${quorum} of ${check.probes.length} probes for ${check.forMs} ms`;
  for (;;) {
    if (scope.signal.aborted) {
      return err(
        new FailoverError({
          kind: 'cancelled',
          message: `Probing ${check.fences.join(', ')} stopped after ${rounds.length} rounds.`,
          provider: reachabilityProbeProvider,
          operation: 'probe',
          cause: scope.signal.reason,
        }),
      );
    }
    const round = await probeRound(scope, check);
    rounds.push(round);
    const elapsed = time.now() - start;
    if (round.unreachable < quorum) {
      const reachable = round.results.filter((result) => !result.unreachable).map((result) => result.probe);
      return ok({
        passed: false,
        actual: { unreachable: round.unreachable, reachable },
        expected,
        summary: `${check.fences.join(', ')} is reachable: only ${round.unreachable} of ${check.probes.length} probes found it unreachable after ${elapsed} ms (reachable: ${reachable.join(', ')})`,
      });
    }
    if (elapsed >= check.forMs || scope.ctx.dryRun) {
      const evidence = toEvidence(check, quorum, rounds);
      const holds = elapsed >= check.forMs;
      return ok({
        // A dry-run cannot wait: it says whether the evidence holds so far.
        passed: holds || scope.ctx.dryRun,
        actual: { unreachableForMs: elapsed, rounds: rounds.length },
        expected,
        summary: holds
          ? evidence.summary
          : `${check.fences.join(', ')} is unreachable now (>= ${quorum} of ${check.probes.length} probes); a real run goes on probing for ${check.forMs - elapsed} ms more before the fence holds`,
        ...(holds && { evidence }),
      });
    }
    await time.sleep(Math.min(intervalMs, start + check.forMs - time.now()), scope.signal);
  }
}

function toEvidence(check: UnreachableCheck, quorum: number, rounds: ProbeRound[]): UnreachableEvidence {
  const first = rounds[0]!;
  const last = rounds.at(-1)!;
  return {
    type: 'primary-unreachable',
    fences: [...check.fences],
    quorum,
    probes: check.probes.length,
    forMs: check.forMs,
    firstAt: first.at,
    lastAt: last.at,
    rounds: rounds.length,
    firstRound: first,
    lastRound: last,
    summary: `${check.fences.join(', ')} unreachable for ${last.at - first.at} ms: ${rounds.length} rounds, each with >= ${quorum} of ${check.probes.length} probes failing (${new Date(first.at).toISOString()} to ${new Date(last.at).toISOString()})`,
  };
}

async function probeRound(scope: CallScope, check: UnreachableCheck): Promise<ProbeRound> {
  const at = scope.ctx.time.now();
  const timeoutMs = check.probeTimeoutMs ?? 2_000;
  const counts = providerCounts(scope.calls, reachabilityProbeProvider);
  const results = await Promise.all(
    check.probes.map(async (probe): Promise<ProbeObservation> => {
      scope.calls.total.observe++;
      counts.observe++;
      const shown = redact(probe);
      const url = new URL(probe);
      if (url.protocol === 'tcp:') {
        const detail = await probeTcp(url.hostname, Number(url.port), timeoutMs);
        return { probe: shown, unreachable: detail !== 'connected', detail };
      }
      try {
        const status = await scope.ctx.httpProbe(probe, { timeoutMs, abortSignal: scope.signal });
        return { probe: shown, unreachable: status >= 500, detail: `HTTP ${status}` };
      } catch (cause) {
        return {
          probe: shown,
          unreachable: true,
          detail: redact(cause instanceof Error ? cause.message : String(cause)),
        };
      }
    }),
  );
  return { at, unreachable: results.filter((result) => result.unreachable).length, results };
}

/**
 * `connected`, or why not. The timeout is real time: it bounds network I/O,
 * as the `http` check's does, and is not part of the plan's timeline.
 */
async function probeTcp(host: string, port: number, timeoutMs: number): Promise<string> {
  // Loaded on first use: `node:net` (streams, DNS) costs milliseconds of every import of core.
  const { connect } = await import('node:net');
  return new Promise((resolve) => {
    const socket = connect({ host: host.replace(/^\[|\]$/g, ''), port });
    const done = (detail: string) => {
      socket.destroy();
      resolve(detail);
    };
    socket.setTimeout(timeoutMs, () => done(`no answer in ${timeoutMs} ms`));
    socket.once('connect', () => done('connected'));
    socket.once('error', (error: NodeJS.ErrnoException) =>
      done(error.code === 'ECONNREFUSED' ? 'connection refused' : (error.code ?? error.message)),
    );
  });
}

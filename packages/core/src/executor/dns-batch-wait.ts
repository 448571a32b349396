import { setMaxListeners } from 'node:events';
import type { FailoverError } from '../errors/failover-error.js';
import { cancelledError } from '../errors/to-failover-error.js';
import type { DnsProviderV1 } from '../providers/dns/dns-provider-v1.js';
import type { OperationHandle } from '../providers/operation-handle.js';
import type { Result } from '../result.js';
import { err } from '../result.js';
import { offAbort, onAbort } from '../time/abort-fan-out.js';
import { providerCounts } from './call-counts.js';
import { leaveDnsBatch } from './dns-batch.js';
import { callProvider } from './provider-call.js';
import { type CallScope, type RunContext, remainingMs } from './run-context.js';
import type { StepRun } from './step-run.js';
import { untilAborted } from './until-aborted.js';

interface SharedWait {
  result: Promise<Result<void, FailoverError>>;
  /** Steps still waiting on it; when the last one stops, the wait is aborted. */
  waiters: number;
  controller: AbortController;
}

/** Waits in flight, per run, by provider and handle id. */
const waits = new WeakMap<RunContext, Map<string, SharedWait>>();

/**
 * `waitForChange` for a DNS action. Steps whose changes went out in one batch share its
 * handle, and share one wait on it too (one poll loop per distinct handle, not per step):
 * the first step's call polls, with its deadline and call tally; every step still counts
 * a wait of its own and stops waiting on its own signal.
 */
export function waitForDnsChange(
  run: StepRun,
  provider: string,
  dns: DnsProviderV1,
  handle: OperationHandle,
): Promise<Result<void, FailoverError>> {
  leaveDnsBatch(run);
  if (handle.id === undefined) return waitAlone(run, provider, dns, handle);
  let open = waits.get(run.ctx);
  if (!open) {
    open = new Map();
    waits.set(run.ctx, open);
  }
  const key = `${provider}\u0000${handle.provider}\u0000${handle.id}`;
  let shared = open.get(key);
  if (shared) {
    run.calls.total.wait++;
    providerCounts(run.calls, provider).wait++;
  } else {
    const controller = new AbortController();
    setMaxListeners(0, controller.signal);
    const scope: CallScope = { ...scopeOf(run), signal: controller.signal };
    const started: SharedWait = {
      result: waitAlone(scope, provider, dns, handle, remainingMs(run)),
      waiters: 0,
      controller,
    };
    shared = started;
    const map = open;
    void started.result.then(() => {
      if (map.get(key) === started) map.delete(key);
    });
    map.set(key, started);
  }
  const joined = shared;
  joined.waiters++;
  const stopped = () => {
    if (--joined.waiters === 0) joined.controller.abort(run.signal.reason);
  };
  onAbort(run.signal, stopped);
  return untilAborted(joined.result, run.signal).then((result) => {
    offAbort(run.signal, stopped);
    return result ?? err(cancelledError('executor', 'waitForChange', run.signal.reason));
  });
}

function scopeOf(run: StepRun): CallScope {
  return { ctx: run.ctx, stepId: run.stepId, signal: run.signal, deadline: run.deadline, calls: run.calls };
}

function waitAlone(
  scope: CallScope,
  provider: string,
  dns: DnsProviderV1,
  handle: OperationHandle,
  timeoutMs = remainingMs(scope),
): Promise<Result<void, FailoverError>> {
  return callProvider(scope, provider, dns.provider, 'wait', 'waitForChange', (o) =>
    dns.waitForChange(handle, { ...o, timeoutMs }),
  );
}

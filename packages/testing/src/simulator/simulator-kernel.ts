import {
  type CallOptions,
  cancelledError,
  err,
  FailoverError,
  type FailoverErrorKind,
  type FailoverResult,
  type OperationHandle,
  type PollOutcome,
  pollUntil,
  type Result,
  ResultAsync,
  type Time,
  toFailoverError,
  type WaitOptions,
} from '@failover/core';
import type { CallRecorder, MutableCall } from './simulator-calls.js';
import type { DurationRange, SimulatedDurations } from './simulator-durations.js';
import {
  type FaultInjector,
  type SimulatedFault,
  type SimulatedOperation,
  waitOperations,
} from './simulator-faults.js';
import type { SimulatedOperationRecord } from './simulator-operations.js';
import { createPrng, hashSeed } from './simulator-prng.js';
import type { RegionsInternal } from './simulator-regions.js';

/** Shared machinery of one world: clock, seeded streams, call log, faults, regions, operations. */
export interface SimulatorKernel {
  readonly seed: number;
  readonly time: Time;
  readonly durations: SimulatedDurations;
  readonly calls: CallRecorder;
  readonly faults: FaultInjector;
  readonly regions: RegionsInternal;
  readonly polling: { intervalMs: number; maxIntervalMs: number };
  readonly operations: Map<string, SimulatedOperationRecord>;
  /** A duration drawn from the seeded duration stream. */
  draw(range: DurationRange): number;
  /** Registers an operation and returns its handle. `stuck` operations never complete. */
  startOperation(input: {
    type: SimulatedOperationRecord['type'];
    prefix: string;
    resource: string;
    provider: string;
    apiOperation: string;
    durationMs: number;
    stuck: boolean;
    detail: Record<string, unknown>;
  }): SimulatedOperationRecord;
  /** Runs one provider method call with recording, latency, faults and abort handling. */
  run<T>(
    call: {
      provider: string;
      operation: SimulatedOperation;
      args: readonly unknown[];
      options?: CallOptions;
      clientRegion?: string;
    },
    body: (ctx: CallContext) => CallBodyResult<T>,
  ): FailoverResult<T>;
  /** `run` for one provider object: its name and client region filled in. */
  caller<Op extends SimulatedOperation>(provider: string, clientRegion?: string): ProviderCaller<Op>;
}

/** How a simulated provider's methods call into the kernel. */
export type ProviderCaller<Op extends SimulatedOperation> = <T>(
  operation: Op,
  args: unknown[],
  options: CallOptions | undefined,
  body: (ctx: CallContext) => CallBodyResult<T>,
) => FailoverResult<T>;

/** What a provider method body returns: a result, now or later (a `ResultAsync` is fine). */
export type CallBodyResult<T> = PromiseLike<Result<T, FailoverError>> | Result<T, FailoverError>;

/** What a provider method body can do with the call it serves. */
export interface CallContext {
  readonly provider: string;
  readonly operation: SimulatedOperation;
  /** True when a `stuck` fault hit this call: the operation it starts must never finish. */
  readonly stuck: boolean;
  /** Marks the call as mutating and reports the API request. */
  mutate(apiOperation: string): void;
  /** Reports a non-mutating API request (a read, a poll). */
  read(apiOperation: string): void;
  /** The `unavailable` error of a dark region, marking the call. */
  dark(region: string): FailoverError;
  /** For waits: the fault for the first poll, once, then undefined. */
  takePollFault(): Promise<FailoverError | undefined>;
  error(
    kind: FailoverErrorKind,
    message: string,
    extra?: { path?: string; retryable?: boolean },
  ): FailoverError;
}

export function createKernel(input: {
  seed: number;
  time: Time;
  durations: SimulatedDurations;
  calls: CallRecorder;
  faults: FaultInjector;
  regions: RegionsInternal;
  polling: { intervalMs: number; maxIntervalMs: number };
}): SimulatorKernel {
  const durationStream = createPrng(hashSeed(input.seed, 'durations'));
  const latencyStream = createPrng(hashSeed(input.seed, 'latency'));
  const operations = new Map<string, SimulatedOperationRecord>();
  const counters = new Map<string, number>();

  const drawFrom = (stream: ReturnType<typeof createPrng>, [min, max]: DurationRange) =>
    max <= min ? min : stream.int(Math.round(min), Math.round(max));
  // Request timeouts draw from the latency stream so they never shift operation durations.
  const drawTimeout = () => drawFrom(latencyStream, input.durations.requestTimeout);

  const kernel: SimulatorKernel = {
    ...input,
    operations,
    draw: (range) => drawFrom(durationStream, range),
    startOperation(op) {
      const n = (counters.get(op.prefix) ?? 0) + 1;
      counters.set(op.prefix, n);
      const id = `${op.prefix}-${n}`;
      const startedAt = input.time.now();
      const handle: OperationHandle = {
        provider: op.provider,
        operation: op.apiOperation,
        id,
        startedAt,
        detail: op.detail,
      };
      const record: SimulatedOperationRecord = {
        id,
        type: op.type,
        resource: op.resource,
        provider: op.provider,
        startedAt,
        ...(!op.stuck && { completesAt: startedAt + op.durationMs }),
        handle,
      };
      operations.set(id, record);
      return record;
    },
    caller(provider, clientRegion) {
      return (operation, args, options, body) =>
        kernel.run(
          {
            provider,
            operation,
            args,
            ...(options && { options }),
            ...(clientRegion !== undefined && { clientRegion }),
          },
          body,
        );
    },
    run<T>(
      call: Parameters<SimulatorKernel['run']>[0],
      body: (ctx: CallContext) => CallBodyResult<T>,
    ): FailoverResult<T> {
      const { provider, operation, options } = call;
      const record = input.calls.start(provider, operation, call.args, input.time.now());
      const promise = (async (): Promise<Result<T, FailoverError>> => {
        const fault = input.faults.pick(operation, provider);
        const signal = options?.abortSignal;
        if (signal?.aborted) return err(cancelledError(provider, operation, signal.reason));

        const latency = drawFrom(latencyStream, input.durations.apiLatency);
        if (latency > 0) {
          await input.time.sleep(latency, signal);
          if (signal?.aborted) return err(cancelledError(provider, operation, signal.reason));
        }
        const errorOf = (kind: FailoverErrorKind, message: string, extra = {}) =>
          new FailoverError({ kind, message, provider, operation, ...extra });
        const dark = (region: string) => {
          record.fault = 'region-dark';
          return errorOf('unavailable', `Region ${region} is unavailable.`);
        };
        if (call.clientRegion !== undefined && input.regions.isDark(call.clientRegion)) {
          return err(dark(call.clientRegion));
        }

        let pollFault: SimulatedFault | undefined;
        if (fault) {
          record.fault = fault.kind;
          if (waitOperations.has(operation)) pollFault = fault;
          else if (fault.kind !== 'stuck' && fault.kind !== 'lost-answer') {
            return err(
              await faultError(fault, { provider, operation, time: input.time, signal, drawTimeout }),
            );
          }
        }

        const ctx: CallContext = {
          provider,
          operation,
          stuck: fault?.kind === 'stuck',
          mutate(apiOperation) {
            record.mutating = true;
            options?.onApiCall?.({ provider, operation: apiOperation, mutating: true });
          },
          read(apiOperation) {
            options?.onApiCall?.({ provider, operation: apiOperation, mutating: false });
          },
          dark,
          async takePollFault() {
            const taken = pollFault;
            pollFault = undefined;
            if (!taken || taken.kind === 'stuck' || taken.kind === 'lost-answer') return undefined;
            return faultError(taken, { provider, operation, time: input.time, signal, drawTimeout });
          },
          error: errorOf,
        };
        const answer = await body(ctx);
        if (fault?.kind === 'lost-answer' && answer.isOk()) {
          // Applied, but the caller never hears it: what a 500 or a reset after the commit looks like.
          return err(
            errorOf('unavailable', `The answer to ${operation} was lost after it was applied (simulated).`),
          );
        }
        return answer;
      })();

      return ResultAsync.fromPromise(promise, (thrown) => toFailoverError(thrown, provider, operation))
        .andThen((result) => result)
        .map((value) => {
          finish(record, 'ok', input.time);
          return value;
        })
        .mapErr((error) => {
          finish(record, error.kind, input.time);
          return error;
        });
    },
  };
  return kernel;
}

function finish(record: MutableCall, outcome: MutableCall['outcome'], time: Time) {
  record.outcome = outcome;
  record.endedAt = time.now();
}

async function faultError(
  fault: SimulatedFault,
  context: {
    provider: string;
    operation: string;
    time: Time;
    signal: AbortSignal | undefined;
    drawTimeout: () => number;
  },
): Promise<FailoverError> {
  const { provider, operation } = context;
  switch (fault.kind) {
    case 'throttled':
      return new FailoverError({
        kind: 'throttled',
        message: `Rate exceeded for ${operation} (simulated).`,
        provider,
        operation,
        retryAfterMs: fault.retryAfterMs ?? 1_000,
      });
    case 'unavailable':
      return new FailoverError({
        kind: 'unavailable',
        message: fault.message ?? `Service unavailable during ${operation} (simulated).`,
        provider,
        operation,
      });
    case 'timeout': {
      await context.time.sleep(fault.afterMs ?? context.drawTimeout(), context.signal);
      if (context.signal?.aborted) return cancelledError(provider, operation, context.signal.reason);
      return new FailoverError({
        kind: 'timeout',
        message: `The ${operation} request timed out (simulated).`,
        provider,
        operation,
        retryable: true,
      });
    }
    case 'error':
      return new FailoverError({
        kind: fault.error,
        message: fault.message ?? `${operation} failed with ${fault.error} (simulated).`,
        provider,
        operation,
        ...(fault.retryable !== undefined && { retryable: fault.retryable }),
      });
    case 'stuck':
    case 'lost-answer':
      return new FailoverError({
        kind: 'unexpected',
        message: `A ${fault.kind} fault has no error of its own.`,
        provider,
        operation,
      });
  }
}

/** Options of `world.dnsProvider()`, `world.databaseFailover()` and `world.clusterScaler()`. */
export interface SimulatedProviderOptions<C> {
  /**
   * The region of the endpoint this client talks to. While it is dark, every call
   * through this provider fails `unavailable`. Default: none (never affected).
   */
  region?: string;
  /** Declare fewer capabilities (the provider then refuses what it lacks with `unsupported`). */
  capabilities?: Partial<C>;
}

/**
 * The wait loop of every simulated `wait*` method: `pollUntil` on the world's clock
 * and polling settings, each poll first taking any fault scheduled for polls.
 */
export function kernelWait<T>(
  kernel: SimulatorKernel,
  ctx: CallContext,
  timeoutMs: number,
  options: WaitOptions,
  poll: () => Promise<Result<PollOutcome<T>, FailoverError>>,
): FailoverResult<T> {
  return pollUntil<T>({
    time: kernel.time,
    provider: ctx.provider,
    operation: ctx.operation,
    timeoutMs,
    pollIntervalMs: options.pollIntervalMs ?? kernel.polling.intervalMs,
    maxIntervalMs: kernel.polling.maxIntervalMs,
    ...(options.abortSignal && { abortSignal: options.abortSignal }),
    poll: () =>
      new ResultAsync(
        (async () => {
          const fault = await ctx.takePollFault();
          if (fault) return err(fault);
          return poll();
        })(),
      ),
  });
}

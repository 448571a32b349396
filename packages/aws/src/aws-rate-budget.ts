import { createSharedBackoff, type Time } from '@failover/core';

/** A request rate: `ratePerSecond` sustained, bursts of up to `burst` requests. */
export interface AwsRateLimit {
  ratePerSecond: number;
  /** Default: `ratePerSecond` (at least 1). */
  burst?: number;
}

/**
 * A token bucket shared by every step that talks to one account's API (Route 53
 * allows 5 requests per second per account), so concurrent steps queue for
 * the budget instead of tripping the service's throttling. Waits run on the
 * injected clock; waiters are served in arrival order.
 */
export interface AwsRateBudget {
  /** Resolves when one request may be sent; early, without a token, when the signal aborts. */
  take(signal?: AbortSignal): Promise<void>;
  /**
   * The service throttled a request: every request on this budget holds off
   * for `ms`, rather than each caller finding out on its own.
   */
  hold(ms: number): void;
}

/** A budget with no rate limit: it only shares the pauses that throttling asks for. */
export function createAwsPauseOnlyBudget(time: Time): AwsRateBudget {
  const pause = createSharedBackoff(time);
  return { take: (signal) => pause.wait(signal), hold: (ms) => pause.hold(ms) };
}

export function createAwsRateBudget(limit: AwsRateLimit, time: Time): AwsRateBudget {
  if (!(limit.ratePerSecond > 0) || !Number.isFinite(limit.ratePerSecond)) {
    throw new RangeError('ratePerSecond must be a positive number');
  }
  const pause = createSharedBackoff(time);
  const capacity = Math.max(1, limit.burst ?? limit.ratePerSecond);
  const perMs = limit.ratePerSecond / 1000;
  let tokens = capacity;
  let last = time.now();
  let queue: Promise<void> = Promise.resolve();

  const refill = () => {
    const now = time.now();
    tokens = Math.min(capacity, tokens + Math.max(0, now - last) * perMs);
    last = now;
  };

  const takeOne = async (signal?: AbortSignal) => {
    await pause.wait(signal);
    for (;;) {
      if (signal?.aborted) return;
      refill();
      if (tokens >= 1) {
        tokens -= 1;
        return;
      }
      await time.sleep(Math.ceil((1 - tokens) / perMs), signal);
    }
  };

  return {
    take(signal) {
      const turn = queue.then(() => takeOne(signal));
      queue = turn.catch(() => undefined);
      return turn;
    },
    hold: (ms) => pause.hold(ms),
  };
}

/** One budget per account and service, so providers vended for the same account share it. */
export class AwsRateBudgets {
  private readonly budgets = new Map<string, AwsRateBudget>();

  constructor(
    private readonly time: Time,
    private readonly limits: Partial<Record<string, AwsRateLimit | false>>,
  ) {}

  /** The budget of `service` in `account`: rate-limited when the service has a limit, else pauses only. */
  get(service: string, account: string): AwsRateBudget {
    const limit = this.limits[service];
    const key = `${account}|${service}`;
    let budget = this.budgets.get(key);
    if (!budget) {
      budget = limit ? createAwsRateBudget(limit, this.time) : createAwsPauseOnlyBudget(this.time);
      this.budgets.set(key, budget);
    }
    return budget;
  }
}

/** Every provider method takes these. */
export interface CallOptions {
  /** Stops waiting and returns a `cancelled` error. It never undoes a remote operation already started. */
  abortSignal?: AbortSignal;
  /** Called for every cloud API request the call sends (retries included), so callers can count them. */
  onApiCall?: (call: ApiCall) => void;
  /**
   * Clock time by which the call must be over: the step's deadline. Retryable errors
   * (throttling, 5xx, resets, timeouts) are retried inside it, with backoff and the
   * service's Retry-After, instead of failing the step's attempt.
   */
  deadlineAt?: number;
}

/** Options of a `wait*` method. A wait that passes its deadline fails with `timeout`, never `ok`. */
export interface WaitOptions extends CallOptions {
  /** How long to wait at most, on the provider's clock. */
  timeoutMs: number;
  /** First poll delay; polls back off exponentially from here. Providers choose a sensible default. */
  pollIntervalMs?: number;
  /**
   * How long the operation usually takes; the poll schedule starts from it and polls
   * densely near and after it. Providers know their own default.
   */
  expectedDurationMs?: number;
}

/** Reported once per cloud API request an adapter sends, for the report's API-call counts. */
export interface ApiCall {
  provider: string;
  /** The cloud's operation name, e.g. `GetChange`. */
  operation: string;
  mutating: boolean;
}

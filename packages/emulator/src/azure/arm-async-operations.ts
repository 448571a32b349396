import type { EmulatorClock } from '../server/emulator-clock.js';

export type ArmOperationStatus = 'InProgress' | 'Succeeded' | 'Failed' | 'Canceled';

export interface ArmOperationError {
  code: string;
  message: string;
}

/** One long-running operation, as the status monitor (`Azure-AsyncOperation`) reports it. */
export interface ArmAsyncOperation {
  readonly id: string;
  /** Resource provider namespace, e.g. `Microsoft.Sql`; operations are only found under their own. */
  readonly namespace: string;
  readonly startedAt: number;
  /** When it completes on the emulator clock; `Infinity` for a stuck operation. */
  readonly dueAt: number;
  status: ArmOperationStatus;
  error?: ArmOperationError;
}

export interface StartOperation {
  namespace: string;
  durationMs: number;
  /** A `stuck` fault: the operation never completes. */
  stuck: boolean;
  /** Applies the change when the operation is due; returns an error to make it end `Failed`. */
  complete: () => ArmOperationError | undefined;
}

/**
 * The long-running operations of the ARM emulator. Status derives from the
 * clock at read time: `settle()` (called before every request is handled)
 * completes every operation whose time has come, in due order, so a manual
 * clock advanced by a client's sleeps drives them.
 */
export class ArmAsyncOperations {
  private readonly operations = new Map<
    string,
    ArmAsyncOperation & { complete: StartOperation['complete'] }
  >();
  private readonly pending: Array<ArmAsyncOperation & { complete: StartOperation['complete'] }> = [];

  constructor(
    private readonly clock: EmulatorClock,
    private readonly newId: () => string,
  ) {}

  start(options: StartOperation): ArmAsyncOperation {
    const startedAt = this.clock.now();
    const operation = {
      id: this.newId(),
      namespace: options.namespace,
      startedAt,
      dueAt: options.stuck ? Number.POSITIVE_INFINITY : startedAt + Math.max(0, options.durationMs),
      status: 'InProgress' as ArmOperationStatus,
      complete: options.complete,
    };
    this.operations.set(`${options.namespace.toLowerCase()}/${operation.id}`, operation);
    this.pending.push(operation);
    return operation;
  }

  /** Completes every operation due by now, earliest first. */
  settle(): void {
    const now = this.clock.now();
    const due = this.pending.filter((operation) => operation.dueAt <= now).sort((a, b) => a.dueAt - b.dueAt);
    for (const operation of due) {
      this.pending.splice(this.pending.indexOf(operation), 1);
      const error = operation.complete();
      operation.status = error ? 'Failed' : 'Succeeded';
      if (error) operation.error = error;
    }
  }

  get(namespace: string, id: string): ArmAsyncOperation | undefined {
    return this.operations.get(`${namespace.toLowerCase()}/${id.toLowerCase()}`);
  }

  /** The status-monitor body ARM returns for an operation. */
  static statusBody(operation: ArmAsyncOperation): Record<string, unknown> {
    return {
      name: operation.id,
      status: operation.status,
      startTime: new Date(operation.startedAt).toISOString(),
      ...(operation.status !== 'InProgress' && { endTime: new Date(operation.dueAt).toISOString() }),
      ...(operation.error && { error: { ...operation.error, details: [] } }),
    };
  }
}

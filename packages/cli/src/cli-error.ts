import { type ExitCode, exitCodes } from './cli-exit-codes.js';

const marker = Symbol.for('@failover/cli/CliError');

/**
 * A mistake of the user (a missing file, a bad flag, bad YAML): printed as one
 * sentence, never with a stack trace, and mapped to an exit code.
 */
export class CliError extends Error {
  override readonly name = 'CliError';
  readonly exitCode: ExitCode;
  /** Extra lines printed under the sentence (the problems of an invalid plan). */
  readonly details: readonly string[];

  constructor(
    message: string,
    options: { exitCode?: ExitCode; details?: readonly string[]; cause?: unknown } = {},
  ) {
    super(message, { cause: options.cause });
    Object.defineProperty(this, marker, { value: true });
    this.exitCode = options.exitCode ?? exitCodes.invalid;
    this.details = options.details ?? [];
  }

  static isInstance(value: unknown): value is CliError {
    return typeof value === 'object' && value !== null && (value as Record<symbol, unknown>)[marker] === true;
  }
}

/** The message of anything thrown, without its stack. */
export function describeThrown(thrown: unknown): string {
  if (thrown instanceof Error) return thrown.message;
  return String(thrown);
}

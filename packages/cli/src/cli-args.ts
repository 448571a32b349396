import { type ParseArgsConfig, parseArgs } from 'node:util';
import { CliError } from './cli-error.js';

export type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

type OptionValue<O> = O extends { type: 'boolean' }
  ? O extends { multiple: true }
    ? boolean[]
    : boolean
  : O extends { multiple: true }
    ? string[]
    : string;

/** What `parseCommandArgs` returns: each option's value (absent when not given) and the positionals. */
export interface ParsedCommandArgs<T extends OptionSpecs> {
  values: { [K in keyof T]?: OptionValue<T[K]> };
  positionals: string[];
}

/**
 * `parseArgs` in strict mode, with its errors turned into one sentence that
 * names the command and where to look (never a stack trace).
 */
export function parseCommandArgs<T extends OptionSpecs>(
  command: string,
  args: readonly string[],
  options: T,
  positionals: { min: number; max: number; names: string },
): ParsedCommandArgs<T> {
  let parsed: ParsedCommandArgs<T>;
  try {
    parsed = parseArgs({
      args: [...args],
      options,
      strict: true,
      allowPositionals: true,
    }) as ParsedCommandArgs<T>;
  } catch (thrown) {
    throw new CliError(`${argsMessage(thrown)} See \`failover ${command} --help\`.`);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min) {
    throw new CliError(
      `\`failover ${command}\` needs ${positionals.names}. See \`failover ${command} --help\`.`,
    );
  }
  if (count > positionals.max) {
    const extra = parsed.positionals[positionals.max]!;
    throw new CliError(
      `Unexpected argument "${extra}" for \`failover ${command}\`. See \`failover ${command} --help\`.`,
    );
  }
  return parsed;
}

function argsMessage(thrown: unknown): string {
  const code = (thrown as { code?: string }).code;
  const message = thrown instanceof Error ? thrown.message : String(thrown);
  const quoted = /'([^']+)'/.exec(message)?.[1];
  switch (code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `Unknown option ${quoted ?? message}.`;
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      return `${message.replace(/\.$/, '')}.`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL':
      return `Unexpected argument ${quoted ? `"${quoted}"` : message}.`;
    default:
      return `${message.replace(/\.$/, '')}.`;
  }
}

/** A whole positive number option (`--time-scale 600`), or a usage error naming the flag. */
export function numberOption(name: string, value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!Number.isFinite(parsed) || parsed <= 0) {
    throw new CliError(`--${name} must be a positive number, got "${value}".`);
  }
  return parsed;
}

/** A whole number of at least 1, or a usage error. */
export function wholeNumberOption(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 1) {
    throw new CliError(`--${name} must be a whole number of at least 1, got "${value}".`);
  }
  return parsed;
}

/** A TCP port (0 picks a free one), or a usage error. */
export function portOption(name: string, value: string): number {
  const parsed = Number(value);
  if (!Number.isInteger(parsed) || parsed < 0 || parsed > 65_535) {
    throw new CliError(`--${name} must be a port from 0 to 65535, got "${value}".`);
  }
  return parsed;
}

/** One of the allowed values, or a usage error listing them. */
export function choiceOption<T extends string>(
  name: string,
  value: string | undefined,
  choices: readonly T[],
  fallback: T,
): T {
  if (value === undefined) return fallback;
  if ((choices as readonly string[]).includes(value)) return value as T;
  throw new CliError(`--${name} must be one of ${choices.join(', ')}, got "${value}".`);
}

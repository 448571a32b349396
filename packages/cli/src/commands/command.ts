import type { Colors } from '../cli-colors.js';
import type { ExitCode } from '../cli-exit-codes.js';
import type { CliIo } from '../cli-io.js';

/** What every command gets: the process seen through `CliIo`, with defaults filled in. */
export interface CommandContext {
  io: CliIo;
  cwd: string;
  colors: Colors;
}

/** One `failover <name>` command, in its own file. */
export interface Command {
  name: string;
  /** One line for `failover --help`. */
  summary: string;
  /** The full text of `failover <name> --help`. */
  help: string;
  run(args: readonly string[], context: CommandContext): Promise<ExitCode>;
}

/** True when the arguments ask for help; the command then prints `help` and exits 0. */
export function wantsHelp(args: readonly string[]): boolean {
  const end = args.indexOf('--');
  const options = end < 0 ? args : args.slice(0, end);
  return options.includes('--help') || options.includes('-h');
}

import { colorsFor } from './cli-colors.js';
import { CliError, describeThrown } from './cli-error.js';
import { type ExitCode, exitCodes, exitCodeTable } from './cli-exit-codes.js';
import type { CliIo } from './cli-io.js';
import { approveCommand } from './commands/approve-command.js';
import { cancelCommand } from './commands/cancel-command.js';
import type { Command, CommandContext } from './commands/command.js';
import { wantsHelp } from './commands/command.js';
import { drillCommand } from './commands/drill-command.js';
import { failbackCommand } from './commands/failback-command.js';
import { graphCommand } from './commands/graph-command.js';
import { planCommand } from './commands/plan-command.js';
import { reportCommand } from './commands/report-command.js';
import { runCommand } from './commands/run-command.js';
import { schemaCommand } from './commands/schema-command.js';
import { snapshotCommand } from './commands/snapshot-command.js';
import { validateCommand } from './commands/validate-command.js';
import { watchCommand } from './commands/watch-command.js';
import { workerCommand } from './commands/worker-command.js';
import { printable } from './printable.js';

/** Every command, in the order `failover --help` lists them. */
export const commands: readonly Command[] = [
  runCommand,
  drillCommand,
  validateCommand,
  planCommand,
  graphCommand,
  failbackCommand,
  reportCommand,
  schemaCommand,
  snapshotCommand,
  watchCommand,
  workerCommand,
  approveCommand,
  cancelCommand,
];

export function mainHelp(): string {
  const width = Math.max(...commands.map((command) => command.name.length));
  const list = commands.map((command) => `  ${command.name.padEnd(width)}  ${command.summary}`).join('\n');
  const codes = exitCodeTable();
  return `Usage: failover <command> [options]

Regional disaster-recovery failover as code.

Commands:
${list}

Run \`failover <command> --help\` for a command's options.

Exit codes:
${codes}

Environment:
  NO_COLOR      disables colours (they are also off when stdout is not a terminal)
  FAILOVER_PLAN_LOAD_TIMEOUT_MS
                how long a plan module may take to produce its plan (default 30000)
`;
}

/**
 * Runs the `failover` command line in-process and resolves to its exit code.
 * Never throws: a user mistake is one sentence on stderr (no stack trace), an
 * internal bug is reported as such with exit code 1.
 *
 * @example
 * const code = await runCli(['validate', 'plan.yaml'], { stdout, stderr, stdin, isTTY: false, env: {} });
 */
export async function runCli(argv: readonly string[], io: CliIo): Promise<ExitCode> {
  const context: CommandContext = { io, cwd: io.cwd ?? process.cwd(), colors: colorsFor(io.isTTY, io.env) };
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find((command) => command.name === rest[0]) : undefined;
    io.stdout.write(topic ? `${topic.help}\n` : mainHelp());
    return name === undefined ? exitCodes.invalid : exitCodes.success;
  }
  if (name === '--version' || name === '-v') {
    io.stdout.write(`${await version()}\n`);
    return exitCodes.success;
  }
  const command = commands.find((candidate) => candidate.name === name);
  if (!command) {
    const hint = name.startsWith('-') ? `Unknown option ${name}` : `Unknown command "${name}"`;
    return fail(io, context, new CliError(`${hint}; run \`failover --help\` for the list of commands.`));
  }
  if (wantsHelp(rest)) {
    io.stdout.write(`${command.help}\n`);
    return exitCodes.success;
  }
  try {
    return await command.run(rest, context);
  } catch (thrown) {
    return fail(io, context, thrown);
  }
}

function fail(io: CliIo, { colors }: CommandContext, thrown: unknown): ExitCode {
  if (CliError.isInstance(thrown)) {
    io.stderr.write(`${colors.red('error')} ${printable(thrown.message)}\n`);
    for (const line of thrown.details) io.stderr.write(`  ${printable(line)}\n`);
    return thrown.exitCode;
  }
  // Not a user mistake: a bug in the CLI or a provider module. The stack helps whoever fixes it.
  io.stderr.write(`${colors.red('internal error')} ${printable(describeThrown(thrown))}\n`);
  if (io.env.FAILOVER_DEBUG && thrown instanceof Error && thrown.stack) io.stderr.write(`${thrown.stack}\n`);
  else io.stderr.write('  Set FAILOVER_DEBUG=1 for the stack trace, and please report it.\n');
  return exitCodes.failed;
}

async function version(): Promise<string> {
  const { createRequire } = await import('node:module');
  const manifest = createRequire(import.meta.url)('../package.json') as { version: string };
  return manifest.version;
}

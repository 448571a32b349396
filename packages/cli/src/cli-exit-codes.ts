/**
 * What `failover` exits with. Scripts and CI branch on these, so they are part
 * of the public contract: never renumber one, only add.
 */
export const exitCodes = {
  /** The command did what was asked (a run succeeded, a plan is valid). */
  success: 0,
  /** A run failed and was not (fully) rolled back, or something unexpected broke. */
  failed: 1,
  /** The plan is invalid, or the command line is wrong (unknown flag, missing file). */
  invalid: 2,
  /** A run failed and every change it made was rolled back. */
  rolledBack: 3,
  /** A run stopped at an approval nobody gave (`--approve <step>` or `--yes` on a non-TTY). */
  needsApproval: 4,
  /** A run was cancelled (Ctrl-C, SIGTERM); resume it with `--journal <file> --resume`. */
  cancelled: 5,
} as const;

export type ExitCode = (typeof exitCodes)[keyof typeof exitCodes];

/** The table `failover --help` prints. */
export const exitCodeHelp: ReadonlyArray<[ExitCode, string]> = [
  [exitCodes.success, 'success'],
  [exitCodes.failed, 'run failed and was not rolled back (or an unexpected error)'],
  [exitCodes.invalid, 'invalid plan, or wrong usage (unknown flag, missing file)'],
  [exitCodes.rolledBack, 'run failed and was rolled back'],
  [exitCodes.needsApproval, 'an approval step was not approved (use --approve <step> or --yes)'],
  [exitCodes.cancelled, 'run cancelled (resume with --journal <file> --resume)'],
];

/** The exit codes as help text, one per line, indented. */
export function exitCodeTable(indent = '  '): string {
  return exitCodeHelp.map(([code, meaning]) => `${indent}${code}  ${meaning}`).join('\n');
}

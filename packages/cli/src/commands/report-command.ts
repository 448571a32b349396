import { CliError } from '../cli-error.js';
import { exitCodes } from '../cli-exit-codes.js';
import type { Command } from './command.js';

export const reportCommand: Command = {
  name: 'report',
  summary: 'rebuild the report of a run from its journal',
  help: 'Usage: failover report <journal> --plan <plan> [--format md|json]',
  async run() {
    throw new CliError('`failover report` is not implemented yet.', { exitCode: exitCodes.failed });
  },
};

import { resolve } from 'node:path';
import { createFileJournal, renderReportJson, renderReportMarkdown } from '@failover/core';
import { choiceOption, parseCommandArgs } from '../cli-args.js';
import { CliError } from '../cli-error.js';
import { exitCodes } from '../cli-exit-codes.js';
import { reportFromJournal } from '../journal-report.js';
import { isJournalUrl, openJournalUrl } from '../journal-url.js';
import { resolveExistingFile } from '../load-module.js';
import { loadPlan, planLoadTimeoutMs } from '../load-plan.js';
import { reportFromRestate } from '../restate-run.js';
import type { Command } from './command.js';

const formats = ['md', 'json'] as const;

export const reportCommand: Command = {
  name: 'report',
  summary: 'rebuild the report of a run from its journal',
  help: `Usage: failover report <journal> --plan <plan> [--format md|json] [--run <id>]
       failover report <run id> --restate-url <ingress> [--format md|json]

Rebuilds the report of the last run of the plan recorded in a journal (written by
\`failover run --journal <file>\`): timeline, critical path, achieved RTO against
the objective, rollback. A run that was resumed is reported with the runs before
it, with each step's API and provider call counts as the journal recorded them.

Options:
  --plan <plan>     the plan that was run (the journal names it by id only)
  --format <f>      md (default) or json
  --run <id>        report the run chain containing this run id instead of the last
  --emulator <url>  read an object-store journal (s3://bucket/prefix) from this emulator
  --restate-url <url> read the report of a run made with \`failover run --engine restate\`
                    from Restate, which keeps it with the run (the positional is the run id)
  -h, --help        show this help`,
  async run(args, { io, cwd }) {
    const { values, positionals } = parseCommandArgs(
      'report',
      args,
      {
        plan: { type: 'string' },
        format: { type: 'string' },
        run: { type: 'string' },
        emulator: { type: 'string' },
        'restate-url': { type: 'string' },
      },
      { min: 1, max: 1, names: 'a journal file' },
    );
    const format = choiceOption('format', values.format, formats, 'md');
    if (values['restate-url'] !== undefined) {
      const report = await reportFromRestate(values['restate-url'], positionals[0]!);
      io.stdout.write(format === 'json' ? renderReportJson(report) : renderReportMarkdown(report));
      return exitCodes.success;
    }
    if (values.plan === undefined) {
      throw new CliError(
        '`failover report` needs --plan <plan>: the journal records the plan by id, not its steps.',
      );
    }
    const journalPath = positionals[0]!;
    const journal = isJournalUrl(journalPath)
      ? await openJournalUrl(journalPath, {
          env: io.env,
          ...(values.emulator !== undefined && { emulatorUrl: values.emulator }),
        })
      : createFileJournal(resolve(resolveExistingFile(journalPath, cwd, 'journal')));
    const timeoutMs = planLoadTimeoutMs(io.env);
    const loaded = await loadPlan(values.plan, cwd, timeoutMs ? { timeoutMs } : {});
    const entries = await journal.read();
    if (entries.isErr()) {
      throw new CliError(`Could not read the journal ${journalPath}: ${entries.error.message}`);
    }
    const rebuilt = reportFromJournal(entries.value, loaded.validated, values.run);
    if ('error' in rebuilt) throw new CliError(`${rebuilt.error} (journal ${journalPath})`);
    for (const warning of rebuilt.warnings) io.stderr.write(`warning ${warning}\n`);
    io.stdout.write(
      format === 'json' ? renderReportJson(rebuilt.report) : renderReportMarkdown(rebuilt.report),
    );
    return exitCodes.success;
  },
};

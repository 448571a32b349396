import { readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import {
  type CheckSpec,
  type FailbackOptions,
  type FailoverPlan,
  failbackPlan,
  type ProviderRegistry,
  parseJournalLines,
  serializePlan,
  validatePlan,
} from '@failover/core';
import { numberOption, parseCommandArgs } from '../cli-args.js';
import { CliError } from '../cli-error.js';
import { exitCodes } from '../cli-exit-codes.js';
import { connectEmulator, type EmulatorSession } from '../emulator-session.js';
import { invalidPlanError, loadPlan } from '../load-plan.js';
import { providersSourceFrom, resolveProviders } from '../load-providers.js';
import type { Command } from './command.js';
import { parseReprotectOptions } from './failback-reprotect-option.js';

const minute = 60_000;

export const failbackCommand: Command = {
  name: 'failback',
  summary: 'generate the gradual, canary-gated way back from a failover plan (and its journal)',
  help: `Usage: failover failback <plan> [--journal <file>] [--out <file>] [--cleanup-out <file>] [options]

Generates the failback of a failover plan: gates (the DR region stable, reconciliation
checks), per database moved a reprotect wait (replication lag within --max-lag) and a
planned switchover back, then canary stages (10 → 50 → 100 % by default) each followed
by a soak and the canary checks. A failed check fails the failback and its rollback
returns all traffic to the DR region. The scale-down of the DR capacity is a separate
plan behind its own approval (--cleanup-out), run once the failback has succeeded.

With --journal (the failover run's journal), the failback reverses exactly what the run
changed, to the state it observed before; without it, only what the plan says.
It prints the failback plan as JSON (or writes it to --out): run it with
\`failover run\` or \`failover drill\`, after \`failover plan\` to see what it would do.

Options:
  --journal <file>          the journal of the failover run
  --out <file>              write the failback plan here instead of stdout
  --cleanup-out <file>      write the scale-down plan here (it needs the journal)
  --providers <module>      read the providers' capabilities (no call is made): a
                            database without lag reporting gets no lag gate
  --emulator <url>          the emulator a providers module points its clients at
  --max-lag <ms>            replication lag allowed before a writer moves back (5000)
  --stable-for <minutes>    how long the DR region must have been stable (120)
  --stable-since <time>     since when it has been (ISO time; default: the journal's end)
  --canary <list>           canary percentages, ending with 100 (10,50,100)
  --soak <minutes>          soak after each stage (10)
  --canary-check <url>      an HTTP check after each soak (repeatable); failing aborts
  --notify <channel>        notify this channel when the failback starts and ends
  --reprotect <step>=<replica>[,provider=<name>][,writer=<id>][,switch-back=<db>][,designate]
                            a forced promotion broke replication: re-create this replica
                            in the original region first (repeatable; see docs/failback.md)
  --reprotect-out <file>    write the reprotect plan here: run it before the failback
  -h, --help                show this help

Examples:
  failover failback plan.ts --journal failover.jsonl --out failback.json --cleanup-out cleanup.json
  failover failback plan.ts --journal failover.jsonl --canary 5,25,100 --canary-check https://api.example.com/health`,
  async run(args, { io, cwd }) {
    const { values, positionals } = parseCommandArgs(
      'failback',
      args,
      {
        journal: { type: 'string' },
        out: { type: 'string' },
        'cleanup-out': { type: 'string' },
        providers: { type: 'string' },
        emulator: { type: 'string' },
        'max-lag': { type: 'string' },
        'stable-for': { type: 'string' },
        'stable-since': { type: 'string' },
        canary: { type: 'string' },
        soak: { type: 'string' },
        'canary-check': { type: 'string', multiple: true },
        notify: { type: 'string' },
        reprotect: { type: 'string', multiple: true },
        'reprotect-out': { type: 'string' },
      },
      { min: 1, max: 1, names: 'a plan file' },
    );
    const loaded = await loadPlan(positionals[0]!, cwd);
    const valid = validatePlan(loaded.plan);
    if (valid.isErr()) throw invalidPlanError(loaded.displayPath, valid.error.problems);
    const plan = loaded.plan as FailoverPlan;

    const options: FailbackOptions = { now: Date.now() };
    if (values.journal !== undefined) {
      const path = resolve(cwd, values.journal);
      let text: string;
      try {
        text = readFileSync(path, 'utf8');
      } catch (thrown) {
        throw new CliError(`The journal ${values.journal} could not be read: ${(thrown as Error).message}`);
      }
      const entries = parseJournalLines(text, values.journal);
      if (entries.isErr()) throw new CliError(entries.error.message, { cause: entries.error });
      options.journal = entries.value;
    }
    if (values['max-lag'] !== undefined) options.maxLagMs = numberOption('max-lag', values['max-lag'], 5_000);
    if (values['stable-for'] !== undefined) options.stableForMs = Number(values['stable-for']) * minute;
    if (options.stableForMs !== undefined && !(options.stableForMs >= 0))
      throw new CliError(`--stable-for must be a number of minutes, got "${values['stable-for']}".`);
    if (values['stable-since'] !== undefined) {
      const since = Date.parse(values['stable-since']);
      if (Number.isNaN(since))
        throw new CliError(`--stable-since must be an ISO time, got "${values['stable-since']}".`);
      options.stableSince = since;
    }
    if (values.canary !== undefined)
      options.canaryPercents = values.canary.split(',').map((part) => Number(part.trim()));
    if (values.soak !== undefined) options.soakMs = numberOption('soak', values.soak, 10) * minute;
    const checks: CheckSpec[] = (values['canary-check'] ?? []).map((url) => ({ type: 'http', url }));
    if (checks.length > 0) options.canaryChecks = checks;
    if (values.notify !== undefined) options.notifyChannel = values.notify;
    if (values.reprotect !== undefined) options.reprotect = parseReprotectOptions(values.reprotect);

    let emulator: EmulatorSession | undefined;
    try {
      if (values.providers !== undefined) {
        if (values.emulator !== undefined) emulator = await connectEmulator(values.emulator, 1);
        const source = await providersSourceFrom(values.providers, cwd, loaded.module, loaded.displayPath);
        const providers: ProviderRegistry = await resolveProviders(
          source,
          loaded.plan,
          loaded.displayPath,
          emulator ? { emulator: emulator.context } : {},
        );
        options.providers = providers;
      }
      const generated = failbackPlan(plan, options);
      if (generated.isErr()) throw new CliError(generated.error.message, { cause: generated.error });
      const { plan: failback, reprotect, cleanup, notes } = generated.value;
      const document = serializePlan(failback);
      if (values.out !== undefined) writeFileSync(resolve(cwd, values.out), document);
      else io.stdout.write(document);
      if (values['cleanup-out'] !== undefined) {
        if (cleanup) writeFileSync(resolve(cwd, values['cleanup-out']), serializePlan(cleanup));
        else
          notes.push(
            'No pool was scaled by the failover run (or there is no journal): no clean-up plan was written.',
          );
      }
      if (reprotect && values['reprotect-out'] !== undefined)
        writeFileSync(resolve(cwd, values['reprotect-out']), serializePlan(reprotect));
      else if (reprotect)
        notes.push('A reprotect plan was generated: pass --reprotect-out <file> to write it.');
      for (const note of notes) io.stderr.write(`note: ${note}\n`);
      return exitCodes.success;
    } finally {
      await emulator?.stop();
    }
  },
};

import { resolve } from 'node:path';
import { createFileCapacityRecords, realTime, snapshotCapacity } from '@failover/core';
import { numberOption, parseCommandArgs } from '../cli-args.js';
import { CliError } from '../cli-error.js';
import { exitCodes } from '../cli-exit-codes.js';
import { connectEmulator, type EmulatorSession } from '../emulator-session.js';
import { loadPlan } from '../load-plan.js';
import { providersSourceFrom, resolveProviders } from '../load-providers.js';
import type { Command } from './command.js';

export const snapshotCommand: Command = {
  name: 'snapshot',
  summary: 'record the capacity of the pools a plan sizes from, for a failover whose source is dark',
  help: `Usage: failover snapshot <plan> --capacity <file> [options]

Reads every node pool the plan sizes others from (percentOf) or checks
(pool-ready) and records its desired and ready counts with a timestamp in
<file> (JSON). A later \`failover run --capacity <file>\` sizes a percent-of
pool from that record when the pool it is a share of cannot be read (its
region is dark), and says so in the report. Observes only.

Options:
  --capacity <file>      where the records are kept (created or updated)
  --providers <module>   the providers module (default: the plan module's \`providers\` export)
  --emulator <url>       read from the emulator at <url>
  --time-scale <n>       emulator time per real time, for an emulator that does not say (default 1)
  -h, --help             show this help

Exit codes: 0 every pool recorded, 1 some pool could not be read, 2 usage error.`,
  async run(args, { io, cwd }) {
    const { values, positionals } = parseCommandArgs(
      'snapshot',
      args,
      {
        capacity: { type: 'string' },
        providers: { type: 'string' },
        emulator: { type: 'string' },
        'time-scale': { type: 'string' },
      },
      { min: 1, max: 1, names: 'a plan file' },
    );
    if (values.capacity === undefined) {
      throw new CliError('failover snapshot needs --capacity <file>: where the records are kept.');
    }
    const loaded = await loadPlan(positionals[0]!, cwd);
    const source = await providersSourceFrom(values.providers, cwd, loaded.module, loaded.displayPath);
    const emulator: EmulatorSession | undefined =
      values.emulator === undefined
        ? undefined
        : await connectEmulator(values.emulator, numberOption('time-scale', values['time-scale'], 1));
    const providers = await resolveProviders(
      source,
      loaded.plan,
      loaded.displayPath,
      emulator ? { emulator: emulator.context } : {},
    );
    const capacity = createFileCapacityRecords(resolve(cwd, values.capacity));
    const snapshot = await snapshotCapacity(loaded.plan, {
      providers,
      capacity,
      time: emulator?.context.clock ?? realTime,
    });
    await emulator?.stop();
    if (snapshot.isErr()) throw new CliError(`The snapshot failed: ${snapshot.error.message}`);
    for (const record of snapshot.value.recorded) {
      io.stdout.write(
        `recorded ${record.provider} ${record.pool.region ? `${record.pool.region}/` : ''}${record.pool.cluster}/${record.pool.pool}: ${record.desired} desired, ${record.ready} ready at ${new Date(record.recordedAt).toISOString()}\n`,
      );
    }
    for (const failure of snapshot.value.failed) {
      io.stderr.write(
        `could not read ${failure.provider} ${failure.pool.cluster}/${failure.pool.pool}: ${failure.error.kind}: ${failure.error.message}\n`,
      );
    }
    if (snapshot.value.recorded.length === 0 && snapshot.value.failed.length === 0) {
      io.stdout.write('the plan sizes no pool from another and checks none: nothing to record\n');
    }
    return snapshot.value.failed.length > 0 ? exitCodes.failed : exitCodes.success;
  },
};

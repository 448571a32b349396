import { registerDeployment, serveWorker } from '@failover/restate';
import { numberOption, parseCommandArgs, portOption } from '../cli-args.js';
import { CliError } from '../cli-error.js';
import { exitCodes } from '../cli-exit-codes.js';
import { connectEmulator } from '../emulator-session.js';
import { loadPlan } from '../load-plan.js';
import { providersSourceFrom, resolveProviders } from '../load-providers.js';
import type { Command } from './command.js';

export const workerCommand: Command = {
  name: 'worker',
  summary: 'serve plans as a Restate workflow: a worker of durable runs (failover run --engine restate)',
  help: `Usage: failover worker <plan>... --providers <module> [options]

Serves the failover workflow for the given plans over HTTP/2, as a Restate
deployment: runs submitted with \`failover run --engine restate\` execute here,
each provider call journaled by Restate. Run two or more workers behind one URL
(a load balancer, a Kubernetes Service): when one dies, Restate replays its runs
on another, and no completed call is made again. Runs until SIGINT or SIGTERM.

Options:
  --providers <module>   the providers module (default: the first plan module's \`providers\` export)
  --port <n>             port to listen on (default 9080; 0: any free one)
  --host <addr>          address to listen on (default 127.0.0.1)
  --restate-admin <url>  register with this Restate admin API once listening
  --register-url <url>   the URL Restate reaches the workers at (default: this worker's own)
  --emulator <url>       bind the providers to the emulator at <url>, on its clock
  --time-scale <n>       emulator time per real time, for an emulator that does not say (default 1)
  --worker-id <name>     this worker's name in run outcomes (default worker-<pid>)
  --identity-key <key>   accept only requests signed by this Restate cluster key (repeatable;
                         set it in production)
  -h, --help             show this help

Exit codes: 0 stopped by a signal, 1 could not listen or register, 2 usage error.`,
  async run(args, { io, cwd }) {
    const { values, positionals } = parseCommandArgs(
      'worker',
      args,
      {
        providers: { type: 'string' },
        port: { type: 'string' },
        host: { type: 'string' },
        'restate-admin': { type: 'string' },
        'register-url': { type: 'string' },
        emulator: { type: 'string' },
        'time-scale': { type: 'string' },
        'worker-id': { type: 'string' },
        'identity-key': { type: 'string', multiple: true },
      },
      { min: 1, max: 100, names: 'plan files' },
    );
    const loaded = await Promise.all(positionals.map((path) => loadPlan(path, cwd)));
    const first = loaded[0]!;
    const source = await providersSourceFrom(values.providers, cwd, first.module, first.displayPath);
    const emulator =
      values.emulator === undefined
        ? undefined
        : await connectEmulator(values.emulator, numberOption('time-scale', values['time-scale'], 1));
    const context = emulator ? { emulator: emulator.context } : {};
    const registries = await Promise.all(
      loaded.map((plan) => resolveProviders(source, plan.plan, plan.displayPath, context)),
    );
    const worker = await serveWorker({
      plans: loaded.map((plan) => plan.plan),
      providers: Object.assign({}, ...registries),
      ...(values.port !== undefined && { port: portOption('port', values.port) }),
      ...(values.host !== undefined && { host: values.host }),
      ...(values['worker-id'] !== undefined && { workerId: values['worker-id'] }),
      ...(values['identity-key'] !== undefined && { identityKeys: values['identity-key'] }),
      ...(emulator && {
        clock: emulator.context.clock,
        timeScale: (emulator.context.clock as { timeScale?: number }).timeScale || 1,
      }),
    });
    if (worker.isErr()) throw new CliError(worker.error.message);
    io.stdout.write(
      `failover worker listening on ${worker.value.url} (plans: ${loaded.map((p) => p.plan.id).join(', ')})\n`,
    );
    if (values['restate-admin'] !== undefined) {
      const url = values['register-url'] ?? worker.value.url;
      const registered = await registerDeployment(values['restate-admin'], url);
      if (registered.isErr()) {
        await worker.value.close();
        io.stderr.write(`${registered.error.message}\n`);
        return exitCodes.failed;
      }
      io.stdout.write(`registered ${url} with ${values['restate-admin']}\n`);
    }
    await new Promise<void>((resolve) => {
      process.once('SIGINT', resolve);
      process.once('SIGTERM', resolve);
    });
    await worker.value.close();
    return exitCodes.success;
  },
};

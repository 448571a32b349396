import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sampleWorld } from './sample-world.js';
import { startEmulator } from './server/start-emulator.js';

const usage = `Usage: failover-emulator [--port N] [--host 127.0.0.1] [--time-scale N] [--seed world.json | --sample] [--random-seed N]

Starts the @failover emulator (AWS, Azure and Google Cloud wire protocols) and prints its URL.
--seed loads the world (an EmulatorSeed) from a JSON file; --sample starts with a small
world on every cloud (see sampleWorld()).`;

async function main(): Promise<number> {
  let values: ReturnType<typeof parse>['values'];
  try {
    values = parse().values;
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${usage}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${usage}\n`);
    return 0;
  }
  const seed = values.sample
    ? sampleWorld()
    : values.seed
      ? JSON.parse(readFileSync(values.seed, 'utf8'))
      : {};
  const emulator = await startEmulator({
    seed,
    host: values.host,
    port: values.port ? Number(values.port) : 0,
    timeScale: values['time-scale'] ? Number(values['time-scale']) : 1,
    randomSeed: values['random-seed'] ? Number(values['random-seed']) : 1,
  });
  process.stdout.write(`${emulator.url}\n`);
  const stop = () => void emulator.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return -1;
}

function parse() {
  return parseArgs({
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      'time-scale': { type: 'string' },
      seed: { type: 'string' },
      'random-seed': { type: 'string' },
      sample: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(`failover-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

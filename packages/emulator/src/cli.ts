import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { sampleWorld } from './sample-world.js';
import type { EmulatorSeed } from './server/emulator-seed.js';
import { emulatorSeedProblems } from './server/emulator-seed-problems.js';
import { defaultRequestLogLimit } from './server/request-log.js';
import { startEmulator } from './server/start-emulator.js';

const usage = `Usage: failover-emulator [--port N] [--host 127.0.0.1] [--time-scale N] [--seed world.json | --sample] [--random-seed N] [--request-log-limit N]

Starts the @failover emulator (AWS, Azure and Google Cloud wire protocols) and prints its URL.
--seed loads the world (an EmulatorSeed) from a JSON file; --sample starts with a small
world on every cloud (see sampleWorld()). --request-log-limit is how many requests the
in-memory request log keeps (the oldest are dropped first; default ${defaultRequestLogLimit}).

Exit codes: 2 for a wrong option or a seed file that cannot be read or is not a world.`;

/** A user mistake: printed as is, exit 2. */
class UsageError extends Error {}

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
  const seed = values.sample ? sampleWorld() : values.seed ? readSeed(values.seed) : {};
  const requestLogLimit = values['request-log-limit'] ? Number(values['request-log-limit']) : undefined;
  if (requestLogLimit !== undefined && !(Number.isInteger(requestLogLimit) && requestLogLimit >= 1)) {
    throw new UsageError(
      `--request-log-limit must be a whole number >= 1, got "${values['request-log-limit']}".`,
    );
  }
  let emulator: Awaited<ReturnType<typeof startEmulator>>;
  try {
    emulator = await startEmulator({
      seed,
      host: values.host,
      port: values.port ? Number(values.port) : 0,
      timeScale: values['time-scale'] ? Number(values['time-scale']) : 1,
      randomSeed: values['random-seed'] ? Number(values['random-seed']) : 1,
      ...(requestLogLimit !== undefined && { requestLogLimit }),
    });
  } catch (error) {
    // The shapes were checked; what is left is a world the services cannot build (a missing name...).
    if (values.seed) {
      throw new UsageError(`The world in ${values.seed} cannot be built: ${(error as Error).message}`);
    }
    throw error;
  }
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
      'request-log-limit': { type: 'string' },
      sample: { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
  });
}

/** Reads and checks a seed file: every problem is reported at once, with its JSON path. */
function readSeed(path: string): EmulatorSeed {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read the seed file ${path}: ${(error as Error).message}`);
  }
  let world: unknown;
  try {
    world = JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text);
  } catch (error) {
    throw new UsageError(`The seed file ${path} is not valid JSON: ${(error as Error).message}`);
  }
  const problems = emulatorSeedProblems(world);
  if (problems.length > 0) {
    throw new UsageError(
      `The seed file ${path} is not an emulator world (an EmulatorSeed):\n${problems.map((problem) => `  ${problem}`).join('\n')}`,
    );
  }
  return world as EmulatorSeed;
}

main().then(
  (code) => {
    if (code >= 0) process.exit(code);
  },
  (error: unknown) => {
    if (error instanceof UsageError) {
      process.stderr.write(`failover-emulator: ${error.message}\n`);
      process.exit(2);
    }
    process.stderr.write(`failover-emulator: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  },
);

import type {
  AnyProviderV1,
  FailoverPlan,
  PlanStep,
  ProviderKind,
  ProviderRegistry,
  Time,
} from '@failover/core';
import type { EmulatorSeed, EmulatorService, ServiceContext } from '@failover/emulator';
import { CliError, describeThrown } from './cli-error.js';
import { importUserModule, resolveExistingFile } from './load-module.js';
import { namespaceOf } from './load-plan.js';

/** The emulator a run talks to: its base URL and its clock. */
export interface EmulatorContext {
  url: string;
  clock: Time;
  /**
   * On a deterministic drill: a seeded source of retry jitter, in [0, 1). Pass it as the
   * adapters' `retry: { random }` so their backoffs, and the drill's figures, repeat too.
   * Absent otherwise (the adapters then use `Math.random`).
   */
  random?: () => number;
}

/** What a providers factory is given. */
export interface ProvidersContext {
  /** Present under `failover drill` and `failover run --emulator`: point your clients at it. */
  emulator?: EmulatorContext;
}

/** The default export of a providers module, when it needs the context. */
export type ProvidersFactory = (context: ProvidersContext) => ProviderRegistry | Promise<ProviderRegistry>;

/**
 * The shape of a providers module (or of a plan module's `providers` and
 * `seed` exports):
 *
 * @example
 * // providers.ts
 * import { defineProviders } from '@failover/cli';
 * export const seed = { aws: { ... } };
 * export default defineProviders(({ emulator }) => ({ dns: createRoute53(...emulator...) }));
 */
export interface ProvidersModule {
  default?: ProviderRegistry | ProvidersFactory;
  /** The world the embedded emulator starts with (`failover drill`, `run --emulator`). */
  seed?: EmulatorSeed;
  /** Extra services the embedded emulator mounts: an emulated API for your own adapter. */
  emulatorServices?: ReadonlyArray<(context: ServiceContext) => EmulatorService>;
}

/** Types a providers factory; returns it unchanged. */
export function defineProviders<T extends ProviderRegistry | ProvidersFactory>(providers: T): T {
  return providers;
}

/** Where the provider binding comes from: a `--providers` module, or the plan module's exports. */
export interface ProvidersSource {
  exports: Record<string, unknown>;
  /** Which export holds the registry: `default` in a providers module, `providers` in a plan module. */
  key: 'default' | 'providers';
  displayPath: string;
}

export async function providersSourceFrom(
  providersPath: string | undefined,
  cwd: string,
  planModule: Record<string, unknown> | undefined,
  planPath: string,
): Promise<ProvidersSource | undefined> {
  if (providersPath !== undefined) {
    const absolute = resolveExistingFile(providersPath, cwd, 'providers module');
    const exports = namespaceOf(await importUserModule(absolute, providersPath));
    if (exports.default === undefined) {
      throw new CliError(
        `The providers module ${providersPath} has no default export; export a provider registry or a function (context) => registry.`,
      );
    }
    return { exports, key: 'default', displayPath: providersPath };
  }
  if (planModule && planModule.providers !== undefined) {
    return { exports: planModule, key: 'providers', displayPath: planPath };
  }
  return undefined;
}

/** The `seed` export, if any, checked to be an object. */
export function seedOf(source: ProvidersSource | undefined): EmulatorSeed | undefined {
  const seed = source?.exports.seed;
  if (seed === undefined) return undefined;
  if (typeof seed !== 'object' || seed === null || Array.isArray(seed)) {
    throw new CliError(`The seed export of ${source!.displayPath} must be an object (an EmulatorSeed).`);
  }
  return seed as EmulatorSeed;
}

/** The `emulatorServices` export, if any: factories of extra emulated APIs. */
export function emulatorServicesOf(
  source: ProvidersSource | undefined,
): ReadonlyArray<(context: ServiceContext) => EmulatorService> | undefined {
  const services = source?.exports.emulatorServices;
  if (services === undefined) return undefined;
  if (!Array.isArray(services) || !services.every((service) => typeof service === 'function')) {
    throw new CliError(
      `The emulatorServices export of ${source!.displayPath} must be an array of functions (context) => EmulatorService.`,
    );
  }
  return services as ReadonlyArray<(context: ServiceContext) => EmulatorService>;
}

/** Builds the registry (calling the factory with the context) and checks it binds every provider the plan names. */
export async function resolveProviders(
  source: ProvidersSource | undefined,
  plan: FailoverPlan,
  planPath: string,
  context: ProvidersContext,
): Promise<ProviderRegistry> {
  const needed = providersNeeded(plan);
  if (!source) {
    if (needed.size === 0) return {};
    throw new CliError(
      `The plan ${planPath} names providers (${[...needed.keys()].join(', ')}) but nothing binds them; pass --providers <module>, or export \`providers\` from a TS/JS plan module.`,
    );
  }
  const exported = source.exports[source.key];
  const where =
    source.key === 'default' ? source.displayPath : `the providers export of ${source.displayPath}`;
  let registry: unknown;
  try {
    registry = typeof exported === 'function' ? await (exported as ProvidersFactory)(context) : exported;
  } catch (thrown) {
    throw new CliError(`Creating the providers of ${where} failed: ${describeThrown(thrown)}`, {
      cause: thrown,
    });
  }
  if (typeof registry !== 'object' || registry === null || Array.isArray(registry)) {
    throw new CliError(
      `${capitalise(where)} must be a provider registry (an object of providers by name), or a function returning one.`,
    );
  }
  const problems: string[] = [];
  for (const [name, { kind, path }] of needed) {
    const provider = (registry as Record<string, unknown>)[name];
    if (provider === undefined) {
      const known = Object.keys(registry);
      problems.push(
        `${path}: provider "${name}" is not in the registry (it has ${known.length === 0 ? 'none' : known.join(', ')}).`,
      );
    } else if (!isProvider(provider)) {
      problems.push(`${path}: "${name}" is not a provider (no specificationVersion "v1" and kind).`);
    } else if (provider.kind !== kind) {
      problems.push(
        `${path}: "${name}" is a ${provider.kind} provider, but the step needs a ${kind} provider.`,
      );
    }
  }
  if (problems.length > 0) {
    throw new CliError(`The providers from ${source.displayPath} do not fit the plan ${planPath}.`, {
      details: problems,
    });
  }
  return registry as ProviderRegistry;
}

function isProvider(value: unknown): value is AnyProviderV1 {
  const candidate = value as Partial<AnyProviderV1> | null;
  return (
    typeof candidate === 'object' &&
    candidate !== null &&
    candidate.specificationVersion === 'v1' &&
    (candidate.kind === 'dns' ||
      candidate.kind === 'database' ||
      candidate.kind === 'cluster' ||
      candidate.kind === 'resource')
  );
}

/** Every provider name the plan uses, with the kind it must be and where it is first named. */
export function providersNeeded(plan: FailoverPlan): Map<string, { kind: ProviderKind; path: string }> {
  const needed = new Map<string, { kind: ProviderKind; path: string }>();
  const add = (name: string, kind: ProviderKind, path: string) => {
    if (!needed.has(name)) needed.set(name, { kind, path });
  };
  const visit = (steps: readonly PlanStep[], base: string) => {
    steps.forEach((step, index) => {
      const path = `${base}[${index}]`;
      switch (step.kind) {
        case 'group':
          visit(step.steps, `${path}.steps`);
          break;
        case 'check':
        case 'verify': {
          const check = step.check;
          if (check.type === 'replication-lag' || check.type === 'database-writer') {
            add(check.provider, 'database', `${path}.check.provider`);
          } else if (check.type === 'dns-ttl' || check.type === 'dns-active-target') {
            add(check.provider, 'dns', `${path}.check.provider`);
          } else if (check.type === 'pool-ready') {
            add(check.provider, 'cluster', `${path}.check.provider`);
          } else if (check.type === 'resource') {
            add(check.provider, 'resource', `${path}.check.provider`);
          }
          break;
        }
        case 'action': {
          const action = step.action;
          const kind: ProviderKind = action.type === 'scale' ? 'cluster' : action.type;
          add(action.provider, kind, `${path}.action.provider`);
          if (action.type === 'scale' && typeof action.desired === 'object') {
            add(action.desired.percentOf.provider, 'cluster', `${path}.action.desired.percentOf.provider`);
          }
          break;
        }
        default:
          break;
      }
    });
  };
  visit(plan.steps, 'steps');
  return needed;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

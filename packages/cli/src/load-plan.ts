import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import {
  type FailoverPlan,
  type PlanProblem,
  PlanValidationError,
  type ProviderRegistry,
  type ValidatedPlan,
  validatePlan,
} from '@failover/core';
import { parse as parseYaml } from 'yaml';
import { CliError, describeThrown } from './cli-error.js';
import { exitCodes } from './cli-exit-codes.js';
import { importUserModule, isModulePath, resolveExistingFile } from './load-module.js';

/** A plan read from disk, and the module it came from when it was code. */
export interface LoadedPlan {
  plan: FailoverPlan;
  /** The compiled step graph, and validation notices (opt-outs worth showing). */
  validated: ValidatedPlan;
  /** The path as the user gave it, for messages. */
  displayPath: string;
  absolutePath: string;
  /** The plan module's exports (a TS/JS plan), where a `providers` export may live. */
  module?: Record<string, unknown>;
}

/** Options of `loadPlan`. */
export interface LoadPlanOptions {
  /**
   * How long a plan module may take to load and produce its plan (a default
   * export or `build()` that never settles). Default 30 s, or
   * `FAILOVER_PLAN_LOAD_TIMEOUT_MS` through `planLoadTimeoutMs`.
   */
  timeoutMs?: number;
}

const defaultPlanLoadTimeoutMs = 30_000;

/** The plan-load timeout from the environment (`FAILOVER_PLAN_LOAD_TIMEOUT_MS`), if set to a positive number. */
export function planLoadTimeoutMs(env: Readonly<Record<string, string | undefined>>): number | undefined {
  const value = Number(env.FAILOVER_PLAN_LOAD_TIMEOUT_MS);
  return Number.isFinite(value) && value > 0 ? value : undefined;
}

/**
 * Reads a plan from a TS/JS module (default export: a plan, a builder, or a
 * Result of one), or from a JSON or YAML document, and validates it. Every
 * problem is reported at once, as a `CliError` with exit code `invalid`; so is
 * a module whose default export rejects, whose `build()` throws, or that does
 * not produce its plan within the timeout.
 */
export async function loadPlan(
  path: string,
  cwd: string,
  options: LoadPlanOptions = {},
): Promise<LoadedPlan> {
  const absolutePath = resolveExistingFile(path, cwd, 'plan file');
  if (isModulePath(absolutePath)) {
    const { module, exported } = await withinTimeout(
      () => planFromModule(absolutePath, path),
      options.timeoutMs ?? defaultPlanLoadTimeoutMs,
      path,
    );
    const validated = checkPlan(exported, path);
    return { plan: validated.plan, validated, displayPath: path, absolutePath, module };
  }
  const validated = checkPlan(readDocument(absolutePath, path), path);
  return { plan: validated.plan, validated, displayPath: path, absolutePath };
}

async function planFromModule(
  absolutePath: string,
  path: string,
): Promise<{ module: Record<string, unknown>; exported: unknown }> {
  const module = namespaceOf(await importUserModule(absolutePath, path));
  if (!('default' in module) || module.default === undefined) {
    throw new CliError(
      `The plan module ${path} has no default export; export the plan (or its builder) as default.`,
    );
  }
  try {
    return { module, exported: await fromExport(module.default, path) };
  } catch (thrown) {
    if (CliError.isInstance(thrown)) throw thrown;
    // The module's own failure (a rejected default export, a throwing build()): the user's to fix.
    throw new CliError(`The plan module ${path} failed to produce its plan: ${describeThrown(thrown)}`, {
      cause: thrown,
    });
  }
}

/**
 * Runs `load` with a deadline. The timer also keeps the process alive, so a
 * module that never settles is reported instead of Node exiting (code 13) with
 * nothing said. A default export that is a rejected promise would be reported
 * by Node as unhandled while the module is still loading: it is handled here.
 */
async function withinTimeout<T>(load: () => Promise<T>, timeoutMs: number, path: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const ignoreEarlyRejection = () => {};
  process.on('unhandledRejection', ignoreEarlyRejection);
  try {
    return await Promise.race([
      load(),
      new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new CliError(
                `The plan module ${path} did not produce its plan within ${timeoutMs} ms (its import, default export or build() never settled).`,
              ),
            ),
          timeoutMs,
        );
      }),
    ]);
  } finally {
    clearTimeout(timer);
    process.off('unhandledRejection', ignoreEarlyRejection);
  }
}

/**
 * Validates a loaded plan again with the providers it will run with: every
 * provider name bound, of the right kind, with the capabilities the steps need.
 */
export function validateLoadedPlan(loaded: LoadedPlan, providers: ProviderRegistry): ValidatedPlan {
  const validated = validatePlan(loaded.plan, { providers });
  if (validated.isErr()) throw invalidPlanError(loaded.displayPath, validated.error.problems);
  return validated.value;
}

/** Validation problems of a plan document (empty when it is valid). */
export function planProblemsOf(error: unknown): readonly PlanProblem[] | undefined {
  return PlanValidationError.isInstance(error) ? error.problems : undefined;
}

/** The one error every command shows for an invalid plan: a sentence, then every problem. */
export function invalidPlanError(displayPath: string, problems: readonly PlanProblem[]): CliError {
  const count = problems.length === 1 ? '1 problem' : `${problems.length} problems`;
  return new CliError(`The plan ${displayPath} is invalid: ${count}.`, {
    exitCode: exitCodes.invalid,
    details: problems.map(formatProblem),
    cause: new PlanValidationError(problems),
  });
}

export function formatProblem(problem: PlanProblem): string {
  const where = problem.path === '' ? '(plan)' : problem.path;
  return `${where}: ${problem.message} [${problem.code}]`;
}

/** Schema, graph and safety rules in one pass, so every problem is reported at once. */
function checkPlan(input: unknown, displayPath: string): ValidatedPlan {
  const validated = validatePlan(input);
  if (validated.isErr()) throw invalidPlanError(displayPath, validated.error.problems);
  return validated.value;
}

function readDocument(absolutePath: string, displayPath: string): unknown {
  let text: string;
  try {
    text = readFileSync(absolutePath, 'utf8');
  } catch (thrown) {
    throw new CliError(`Could not read the plan file ${displayPath}: ${describeThrown(thrown)}`);
  }
  // A BOM is how some editors (and PowerShell's Out-File) start UTF-8: not part of the document.
  if (text.startsWith('\uFEFF')) text = text.slice(1);
  const extension = extname(absolutePath).toLowerCase();
  if (extension === '.json') {
    try {
      return JSON.parse(text);
    } catch (thrown) {
      throw new CliError(`The plan file ${displayPath} is not valid JSON: ${describeThrown(thrown)}.`);
    }
  }
  if (extension === '.yaml' || extension === '.yml') {
    try {
      return parseYaml(text);
    } catch (thrown) {
      const first = describeThrown(thrown).split('\n')[0]!.replace(/:$/, '');
      throw new CliError(`The plan file ${displayPath} is not valid YAML: ${first}.`);
    }
  }
  throw new CliError(
    `Cannot read a plan from ${displayPath}: use a .ts, .js, .json, .yaml or .yml file (got "${extension || 'no extension'}").`,
  );
}

/**
 * What a plan module's default export becomes: a plan object as is; a builder
 * (`definePlan(...)`) built, with every problem of a failed build reported
 * together with what `validatePlan` finds in its `toPlan()`; a `Result`
 * unwrapped; a promise awaited.
 */
async function fromExport(value: unknown, displayPath: string): Promise<unknown> {
  const current = await value;
  if (isObject(current) && typeof current.build === 'function') {
    const built = (await (current.build as () => unknown)()) as unknown;
    if (isResult(built) && built.isErr()) {
      const problems = [...(planProblemsOf(built.error) ?? [])];
      if (problems.length === 0) {
        throw new CliError(`The plan builder in ${displayPath} failed: ${describeThrown(built.error)}`);
      }
      if (typeof current.toPlan === 'function') {
        const more = validatePlan((current.toPlan as () => unknown)());
        if (more.isErr()) {
          const seen = new Set(problems.map((problem) => `${problem.path}\u0000${problem.code}`));
          for (const problem of more.error.problems) {
            if (!seen.has(`${problem.path}\u0000${problem.code}`)) problems.push(problem);
          }
        }
      }
      throw invalidPlanError(displayPath, problems);
    }
    return unwrap(built, displayPath);
  }
  return unwrap(current, displayPath);
}

function unwrap(value: unknown, displayPath: string): unknown {
  if (!isResult(value)) return value;
  if (value.isErr()) {
    const problems = planProblemsOf(value.error);
    if (problems) throw invalidPlanError(displayPath, problems);
    throw new CliError(
      `The plan module ${displayPath} failed to build its plan: ${describeThrown(value.error)}`,
    );
  }
  return value.value;
}

interface ResultLike {
  isOk(): boolean;
  isErr(): this is { error: unknown };
  value?: unknown;
  error?: unknown;
}

function isResult(value: unknown): value is ResultLike & { value: unknown } {
  return isObject(value) && typeof value.isOk === 'function' && typeof value.isErr === 'function';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null;
}

/** A CommonJS-compiled module arrives wrapped once more; unwrap it so named exports are found. */
export function namespaceOf(module: Record<string, unknown>): Record<string, unknown> {
  const inner = module.default;
  if (isObject(inner) && inner.__esModule === true) return inner;
  return module;
}

import { existsSync, statSync } from 'node:fs';
import { extname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { CliError, describeThrown } from './cli-error.js';

const typeScript = new Set(['.ts', '.mts', '.cts', '.tsx']);
const javaScript = new Set(['.js', '.mjs', '.cjs', '.jsx']);

/** Whether a file is loaded by importing it (as opposed to reading JSON or YAML). */
export function isModulePath(path: string): boolean {
  const extension = extname(path).toLowerCase();
  return typeScript.has(extension) || javaScript.has(extension);
}

/** Resolves `path` from `cwd` and checks it is a readable file; `what` names it in the error. */
export function resolveExistingFile(path: string, cwd: string, what: string): string {
  const absolute = resolve(cwd, path);
  if (!existsSync(absolute)) throw new CliError(`The ${what} ${path} does not exist.`);
  if (!statSync(absolute).isFile()) throw new CliError(`The ${what} ${path} is not a file.`);
  return absolute;
}

/**
 * Imports a user's TS or JS module. TypeScript goes through tsx's scoped
 * loader, so the CLI needs no loader flag of its own and a plain `node` runs it.
 * A module that fails to load (a syntax error, a missing import) is a user
 * mistake: one sentence naming the file, no stack.
 */
export async function importUserModule(
  absolutePath: string,
  displayPath: string,
): Promise<Record<string, unknown>> {
  const url = pathToFileURL(absolutePath).href;
  try {
    if (typeScript.has(extname(absolutePath).toLowerCase())) {
      const { tsImport } = await import('tsx/esm/api');
      return (await tsImport(url, import.meta.url)) as Record<string, unknown>;
    }
    return (await import(url)) as Record<string, unknown>;
  } catch (thrown) {
    throw new CliError(`Could not load ${displayPath}: ${firstLine(describeThrown(thrown))}`, {
      cause: thrown,
    });
  }
}

function firstLine(text: string): string {
  const line = text.split('\n').find((candidate) => candidate.trim() !== '') ?? text;
  return line.trim();
}

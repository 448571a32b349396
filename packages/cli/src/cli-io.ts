import type { FileJournal, FileJournalOptions } from '@failover/core';

/** Where a stream of text goes: `process.stdout`, or a buffer in tests. */
export interface CliOutput {
  write(text: string): unknown;
  /** Terminal width, when it is one. */
  columns?: number;
}

/**
 * Everything the CLI touches of its process, so `runCli` runs in-process in
 * tests exactly as it does behind the binary.
 */
export interface CliIo {
  stdout: CliOutput;
  stderr: CliOutput;
  /** Read for approval prompts on a TTY. */
  stdin: NodeJS.ReadableStream;
  /** Whether stdout and stdin are an interactive terminal (live progress, prompts, colours). */
  isTTY: boolean;
  env: Readonly<Record<string, string | undefined>>;
  /** Relative paths resolve from here. Default: `process.cwd()`. */
  cwd?: string;
  /** Aborts a run (Ctrl-C): the run stops, journals `cancelled`, and exits with `cancelled`. */
  signal?: AbortSignal;
  /** How `--journal <file>` is opened. Default `createFileJournal`; tests wrap it (e.g. to fail a write). */
  openJournal?: (path: string, options: FileJournalOptions) => FileJournal;
}

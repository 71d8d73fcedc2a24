/** Shared plumbing for CLI commands: where output goes, exit codes, and a tiny option parser. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import type { DisposableStore } from '../app/disposable-store.ts';
import { MAX_PX_PER_UM, MIN_PX_PER_UM } from '../../shared/mosaic/scale-bar.ts';

type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

export const EXIT_OK = 0;
export const EXIT_USAGE = 2;
export const EXIT_DATA_ERROR = 3;

export interface CliIo {
  stdout: { write(chunk: string): unknown };
  stderr: { write(chunk: string): unknown };
  /** True when stdout is a terminal (progress bars instead of plain lines). */
  isTTY: boolean;
}

/** A command-line mistake: printed with the usage hint, exit code 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

/** node:util parseArgs, with its errors turned into UsageError. */
export function parseOptions<T extends OptionsConfig>(
  args: string[],
  options: T,
  allowPositionals = true,
): ReturnType<typeof parseArgs<{ args: string[]; options: T; allowPositionals: boolean; strict: true }>> {
  try {
    return parseArgs({ args, options, allowPositionals, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
}

/**
 * The real process's streams, for the launchers. A reader that closes early (`ifcb-viewer bins --json | head`)
 * breaks the pipe: like Unix tools killed by SIGPIPE, the command then stops at once and quietly, instead of
 * dying on an unhandled EPIPE with a stack trace (Node ignores SIGPIPE, so the write fails instead).
 */
export function processIo(): CliIo {
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (e: NodeJS.ErrnoException) => {
      if (e.code === 'EPIPE') process.exit(EXIT_OK);
      throw e;
    });
  }
  return { stdout: process.stdout, stderr: process.stderr, isTTY: Boolean(process.stdout.isTTY) };
}

/**
 * What one command run opened (the library, Ctrl-C handlers), each part registered as it starts. The runner
 * (main.ts) disposes it once when the command ends, however it ends: done, usage error, data error, crash.
 */
export type CommandScope = DisposableStore;

/** Ctrl-C as an abort signal for this run (instead of ending the process); the handler goes when the run ends. */
export function interruptSignal(scope: CommandScope): AbortSignal {
  const controller = new AbortController();
  const onSigint = (): void => controller.abort();
  process.once('SIGINT', onSigint);
  scope.add('Ctrl-C handler', () => process.removeListener('SIGINT', onSigint));
  return controller.signal;
}

/** `--px-per-um N` (undefined when absent), within the same bounds the app accepts for a calibration. */
export function parsePxPerUm(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (!(value >= MIN_PX_PER_UM && value <= MAX_PX_PER_UM)) throw new UsageError(`--px-per-um must be a number of pixels per µm from ${MIN_PX_PER_UM} to ${MAX_PX_PER_UM}, got "${text}"`);
  return value;
}

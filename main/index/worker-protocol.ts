/** Messages between the main thread and an index worker (structured-clone friendly). */
import type { ErrorInfo } from '../../shared/errors.ts';
import type { ParsedBin } from './store.ts';
import type { IndexProgress, IndexSummary } from './types.ts';
import type { FoundBin, FoundProblem, WalkRules } from './walk.ts';

export type WorkerRequest =
  | { type: 'walk'; job: number; root: string; rules: WalkRules; stamps: boolean }
  | { type: 'parse'; job: number; bases: string[] }
  /** Run a whole index (walk, parse, write) in the worker with its own database connection. */
  | { type: 'index'; job: number; dbPath: string; rootIds: number[]; workers: number; busyTimeoutMs: number }
  | { type: 'cancel'; job: number; target: number };

export type WorkerReply =
  | { type: 'found'; job: number; bins: FoundBin[] }
  | { type: 'problem'; job: number; problem: FoundProblem }
  | { type: 'walked'; job: number }
  | { type: 'parsed'; job: number; bins: ParsedBin[]; reads: { adc: number; hdr: number } }
  | { type: 'progress'; job: number; progress: IndexProgress }
  | { type: 'indexed'; job: number; summary: IndexSummary }
  | { type: 'failed'; job: number; error: ErrorInfo };

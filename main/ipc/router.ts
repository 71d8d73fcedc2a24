/**
 * The one entry point of both transports: `dispatch(channel, args)` looks the channel up in the contract,
 * parses `args` with its zod schema (nothing runs on invalid input), calls the handler, and wraps every
 * outcome in the `Result` envelope. `IfcbError`s keep their code, message and details, which may name the
 * user's own files (e.g. the path of a truncated .roi); anything else becomes a generic `INTERNAL` and is
 * logged here with the channel, so the page never sees a stack or an unexpected error's text.
 */
import type { z } from 'zod';
import { IfcbError } from '../../shared/errors.ts';
import { CONTRACT, isChannel } from '../../shared/ipc/contract.ts';
import type { Channel, ParsedRequestOf, ResponseOf } from '../../shared/ipc/contract.ts';
import { err, ok, toErrorInfo } from '../../shared/ipc/result.ts';
import type { Result } from '../../shared/ipc/result.ts';
import type { HandlerContext } from './context.ts';

export type Handler<C extends Channel> = (ctx: HandlerContext, request: ParsedRequestOf<C>) => Promise<ResponseOf<C>>;
export type HandlerTable = { [C in Channel]: Handler<C> };

export interface RouterOptions {
  /** Parse every response with its schema too (tests and dev builds; costs time on big tables). */
  validateResponses?: boolean;
  /** Where unexpected failures are reported (default console.error). */
  log?: (message: string, error: unknown) => void;
}

const MAX_ISSUES = 10;

/** A compact, value-free description of what failed validation. */
function describeIssues(error: z.ZodError): { path: string; message: string }[] {
  return error.issues.slice(0, MAX_ISSUES).map((issue) => ({
    path: issue.path.map(String).join('.') || '(request)',
    message: issue.message.slice(0, 200),
  }));
}

export class Router {
  private readonly log: (message: string, error: unknown) => void;

  constructor(
    readonly ctx: HandlerContext,
    private readonly handlers: HandlerTable,
    private readonly options: RouterOptions = {},
  ) {
    this.log = options.log ?? ((message, error) => console.error(message, error));
  }

  /**
   * Validate, run, wrap. Never throws and never rejects. Image bytes the answer holds are released at once:
   * for transports that hand the value over when this resolves (Electron clones it into the IPC message).
   */
  async dispatch(channel: unknown, args: unknown): Promise<Result<unknown>> {
    const { result, release } = await this.dispatchHeld(channel, args);
    release();
    return result;
  }

  /** `dispatch` for transports that keep the answer while they send it: call `release` once it is written or dropped. */
  async dispatchHeld(channel: unknown, args: unknown): Promise<{ result: Result<unknown>; release: () => void }> {
    const result = await this.run(channel, args);
    return { result, release: () => result.ok && this.ctx.imageBytes.release(result.value) };
  }

  private async run(channel: unknown, args: unknown): Promise<Result<unknown>> {
    if (!isChannel(channel)) {
      return err('INVALID_ARGUMENT', 'Unknown request channel.', { channel: typeof channel === 'string' ? channel.slice(0, 64) : typeof channel });
    }
    const parsed = CONTRACT[channel].request.safeParse(args === undefined ? {} : args);
    if (!parsed.success) {
      return err('INVALID_ARGUMENT', `Invalid arguments for ${channel}.`, { channel, issues: describeIssues(parsed.error) });
    }
    try {
      const handler = this.handlers[channel] as Handler<Channel>;
      const value = await handler(this.ctx, parsed.data as ParsedRequestOf<Channel>);
      if (this.options.validateResponses) {
        const checked = CONTRACT[channel].response.safeParse(value);
        if (!checked.success) {
          this.log(`[ifcb] ${channel} produced a response that breaks the contract`, checked.error);
          return err('INTERNAL', `The ${channel} response did not match the contract.`, { channel, issues: describeIssues(checked.error) });
        }
      }
      return ok(value);
    } catch (e) {
      if (!(e instanceof IfcbError)) this.log(`[ifcb] ${channel} failed unexpectedly`, e);
      return { ok: false, error: toErrorInfo(e) };
    }
  }
}

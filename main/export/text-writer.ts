/** A staged text table written as a stream (rows are appended as images go by; memory stays flat). */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';
import { exportWriteError } from './fs-errors.ts';

export class TextFileWriter {
  private readonly out: WriteStream;
  private failure: unknown = null;
  private closed = false;

  /** Create `file` exclusively; errors are reported against `destination` (what the user chose). */
  constructor(
    readonly file: string,
    private readonly destination: string,
  ) {
    this.out = createWriteStream(file, { flags: 'wx', encoding: 'utf8' });
    this.out.on('error', (e) => {
      this.failure ??= e;
    });
  }

  private check(): void {
    if (this.failure !== null) throw exportWriteError(this.failure, this.destination);
  }

  /** Append text; waits when the stream's buffer is full. */
  async write(text: string): Promise<void> {
    this.check();
    if (!this.out.write(text)) {
      // `once` rejects on 'error': record it and report it as an export failure like any other
      await Promise.race([once(this.out, 'drain'), once(this.out, 'close')]).catch((e: unknown) => {
        this.failure ??= e;
      });
    }
    this.check();
  }

  /** Flush and close. */
  async close(): Promise<void> {
    this.check();
    if (this.closed) return;
    this.closed = true;
    this.out.end();
    try {
      await once(this.out, 'close');
    } catch (e) {
      // 'error' came first; the stream still closes its fd right after
      this.failure ??= e;
      if (!this.out.closed) await new Promise<void>((resolve) => this.out.once('close', () => resolve()));
    }
    this.check();
  }

  /** Abandon the file (the caller removes the staging folder). */
  async destroy(): Promise<void> {
    if (this.out.closed) return;
    const closed = once(this.out, 'close').catch(() => undefined);
    this.out.destroy();
    await closed;
  }
}

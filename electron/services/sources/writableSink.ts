import type { Writable } from 'node:stream';

/**
 * Writes to a Node stream with backpressure: `write` waits for 'drain' when the stream is full,
 * and any stream error rejects the pending and every later call.
 */
export class WritableSink {
  private failure: Error | undefined;

  constructor(private readonly out: Writable) {
    out.on('error', (error) => {
      this.failure ??= error;
    });
  }

  async write(chunk: Buffer | string): Promise<void> {
    if (this.failure) throw this.failure;
    if (this.out.write(chunk)) return;
    await new Promise<void>((resolve, reject) => {
      const cleanup = () => {
        this.out.off('drain', onDrain);
        this.out.off('error', onError);
        this.out.off('close', onClose);
      };
      const onDrain = () => {
        cleanup();
        resolve();
      };
      const onError = (error: Error) => {
        cleanup();
        reject(error);
      };
      const onClose = () => {
        cleanup();
        reject(this.failure ?? new Error('The destination closed before all data was written.'));
      };
      this.out.on('drain', onDrain);
      this.out.on('error', onError);
      this.out.on('close', onClose);
    });
  }

  /**
   * Writes a chunk the caller will reuse: resolves only once the stream is done with it (its
   * write callback), not merely when it has been buffered.
   */
  async writeConsumed(chunk: Buffer): Promise<void> {
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve, reject) => {
      this.out.write(chunk, (error) => (error ? reject(error) : resolve()));
    });
  }

  /** Ends the stream and waits until everything is flushed. */
  async end(): Promise<void> {
    if (this.failure) throw this.failure;
    await new Promise<void>((resolve, reject) => {
      const onError = (error: Error) => reject(error);
      this.out.once('error', onError);
      this.out.end(() => {
        this.out.off('error', onError);
        resolve();
      });
    });
  }
}

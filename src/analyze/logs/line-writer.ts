/**
 * Writes lines to a file in batches, waiting for the stream to drain so memory stays
 * bounded however fast lines arrive.
 */
import { createWriteStream, type WriteStream } from 'node:fs';
import { once } from 'node:events';

const BATCH_CHARS = 64 * 1024;

export class LineWriter {
  private readonly stream: WriteStream;
  private batch: string[] = [];
  private batchChars = 0;

  constructor(readonly path: string) {
    this.stream = createWriteStream(path, { flags: 'w' });
  }

  /** Queues one line (a `\n` is added). Resolves once the batch, if flushed, is accepted. */
  async write(line: string): Promise<void> {
    this.batch.push(line);
    this.batchChars += line.length + 1;
    if (this.batchChars >= BATCH_CHARS) await this.flush();
  }

  /** Flushes what is left and closes the file; resolves once it is on disk (closed). */
  async close(): Promise<void> {
    await this.flush();
    this.stream.end();
    await once(this.stream, 'close');
  }

  private async flush(): Promise<void> {
    if (this.batch.length === 0) return;
    const text = this.batch.join('\n') + '\n';
    this.batch = [];
    this.batchChars = 0;
    if (!this.stream.write(text)) await once(this.stream, 'drain');
  }
}

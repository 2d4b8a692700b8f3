/**
 * Line reading with memory bounded by the chunk size and a maximum line length,
 * independent of the file's size: a 200 MB goroutine dump is never held in memory.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export interface ReadLinesOptions {
  /** Bytes read at a time. Default 64 KiB. */
  chunkSize?: number;
  /**
   * Longer lines are cut to this many characters (the rest of the line is dropped),
   * so a file without newlines (a binary blob, a minified page) cannot grow memory.
   * Default 64 Ki characters — far above any Go traceback line.
   */
  maxLineLength?: number;
}

/**
 * Yields the lines of a file without their `\n` / `\r\n` terminators. The last line
 * is yielded even without a trailing newline. Invalid UTF-8 becomes U+FFFD.
 */
export async function* readLines(path: string, options: ReadLinesOptions = {}): AsyncGenerator<string> {
  const chunkSize = options.chunkSize ?? 64 * 1024;
  const maxLineLength = options.maxLineLength ?? 64 * 1024;
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let overflowing = false; // inside a line already cut at maxLineLength

  const take = (text: string): string[] => {
    const out: string[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      const piece = text.slice(start, nl);
      if (!overflowing) out.push(stripCr(pending + piece).slice(0, maxLineLength));
      pending = '';
      overflowing = false;
      start = nl + 1;
    }
    if (!overflowing) {
      pending += text.slice(start);
      if (pending.length > maxLineLength) {
        out.push(pending.slice(0, maxLineLength));
        pending = '';
        overflowing = true;
      }
    }
    return out;
  };

  const stream = createReadStream(path, { highWaterMark: chunkSize });
  for await (const chunk of stream) {
    for (const line of take(decoder.write(chunk as Buffer))) yield line;
  }
  for (const line of take(decoder.end())) yield line;
  if (!overflowing && pending.length > 0) yield stripCr(pending);
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

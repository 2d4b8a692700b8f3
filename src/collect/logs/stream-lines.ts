/**
 * Lines of a byte stream (a file, a gunzip stream), with memory bounded by the chunk size
 * and a maximum line length — log files can be gigabytes, and a line with no newline
 * (a binary blob) must not grow memory.
 */
import { StringDecoder } from 'node:string_decoder';

/** Longer lines are cut here (the rest is dropped). Far above any real log line. */
export const MAX_LOG_LINE = 64 * 1024;

/**
 * Yields the lines of `chunks` without `\n` / `\r\n`; the last line is yielded even
 * without a newline. Invalid UTF-8 becomes U+FFFD.
 */
export async function* streamLines(chunks: AsyncIterable<Buffer | string>, maxLineLength = MAX_LOG_LINE): AsyncGenerator<string> {
  const decoder = new StringDecoder('utf8');
  let pending = '';
  let overflowing = false;
  function* take(text: string): Generator<string> {
    let start = 0;
    for (let nl = text.indexOf('\n'); nl >= 0; nl = text.indexOf('\n', start)) {
      if (!overflowing) yield stripCr(pending + text.slice(start, nl)).slice(0, maxLineLength);
      pending = '';
      overflowing = false;
      start = nl + 1;
    }
    if (overflowing) return;
    pending += text.slice(start);
    if (pending.length > maxLineLength) {
      yield pending.slice(0, maxLineLength);
      pending = '';
      overflowing = true;
    }
  }
  for await (const chunk of chunks) yield* take(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  yield* take(decoder.end());
  if (!overflowing && pending.length > 0) yield stripCr(pending);
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}

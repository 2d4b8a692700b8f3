/**
 * Line reading with memory bounded by the chunk size and a maximum line length,
 * independent of the file's size: a 200 MB goroutine dump is never held in memory.
 */
import { createReadStream, readSync } from 'node:fs';
import { open } from 'node:fs/promises';
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

/** Bytes {@link forEachChunk} reads at a time unless told: few lines straddle two reads. */
export const DEFAULT_CHUNK_SIZE = 1024 * 1024;

/** Called with each line as a byte range of `buf`, valid only during the call. */
export type LineVisitor = (buf: Buffer, start: number, end: number) => void;

/**
 * Called with a run of whole lines `buf[start, end)`, valid only during the call: lines
 * end with `\n` (`\r\n`), except the run's last one, which ends at `end` with or without
 * it (use {@link nextLineEnd}).
 */
export type ChunkVisitor = (buf: Buffer, start: number, end: number) => void;

/**
 * Calls `visit` for each line of a file as a byte range, without its `\n` / `\r\n`:
 * no string is made unless the visitor makes one. Reads `chunkSize` bytes at a time into
 * one reused Buffer (default 1 MiB), so memory is the chunk whatever the file's size; a
 * line longer than the chunk is cut to the chunk's length and the rest of it skipped.
 * The last line is visited even without a trailing newline.
 */
export async function forEachLine(path: string, visit: LineVisitor, options: { chunkSize?: number } = {}): Promise<void> {
  await forEachChunk(
    path,
    (buf, start, end) => {
      for (let at = start; at < end;) {
        const nl = nextLineEnd(buf, at, end);
        visit(buf, at, nl > at && buf[nl - 1] === CARRIAGE_RETURN ? nl - 1 : nl);
        at = nl + 1;
      }
    },
    options,
  );
}

/**
 * Where the line starting at `start` ends in a run given to a {@link ChunkVisitor}: the
 * index of its `\n`, or `end`. Buffer#indexOf is memchr, far faster than a JS loop
 * over a line's bytes.
 */
export function nextLineEnd(buf: Buffer, start: number, end: number): number {
  const nl = buf.indexOf(NEWLINE, start);
  return nl < 0 || nl > end ? end : nl;
}

/**
 * Like {@link forEachLine} but hands over every run of whole lines a read produced, so a
 * parser can scan them in one loop instead of taking a call per line. With `buffer`, the
 * file is read into that memory (its length is the chunk size): the goroutine parser
 * passes its WebAssembly memory, so its matcher reads the bytes where they landed.
 */
export async function forEachChunk(
  path: string,
  visit: ChunkVisitor,
  options: { chunkSize?: number; buffer?: Buffer } = {},
): Promise<void> {
  const buf = options.buffer ?? Buffer.allocUnsafe(options.chunkSize ?? DEFAULT_CHUNK_SIZE);
  const file = await open(path, 'r');
  try {
    let have = 0; // bytes of an unfinished line carried to the buffer's start
    let skipping = false; // inside a line already cut at the buffer's length
    for (;;) {
      // Synchronous: an awaited read per chunk left the thread idle for the whole read
      // (node --cpu-prof: ~10% of a 78 MB parse), and the parse blocks for longer per chunk
      // than the read does anyway.
      const bytesRead = readSync(file.fd, buf, have, buf.length - have, null);
      const end = have + bytesRead;
      // A view ending at `end`, so indexOf never finds stale bytes of an earlier chunk.
      const view = buf.subarray(0, end);
      let start = 0;
      if (skipping) {
        const nl = view.indexOf(NEWLINE, have);
        if (nl < 0) {
          have = 0;
          if (bytesRead === 0) return;
          continue;
        }
        skipping = false;
        start = nl + 1;
      }
      if (bytesRead === 0) {
        if (start < end) visit(view, start, end);
        return;
      }
      const last = end > start ? view.lastIndexOf(NEWLINE, end - 1) : -1;
      if (last >= start) {
        visit(view, start, last + 1);
        start = last + 1;
      } else if (start === 0 && end === buf.length) {
        visit(view, 0, end);
        skipping = true;
        have = 0;
        continue;
      }
      buf.copy(buf, 0, start, end);
      have = end - start;
    }
  } finally {
    await file.close();
  }
}

const NEWLINE = 0x0a;
const CARRIAGE_RETURN = 0x0d;

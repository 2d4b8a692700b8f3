/**
 * Reads the files of one log source in order as one stream of lines. gzip files are
 * recognised by their magic bytes (1f 8b, RFC 1952), not their name, and decompressed
 * while streaming. A file that cannot be opened, or breaks off (half a .gz), is reported
 * through `onSkip` and reading goes on with the next file: what was read is kept.
 */
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { streamLines } from './stream-lines.js';

/** A file left out (wholly or from some line on), and why. */
export interface SkippedLogFile {
  path: string;
  reason: string;
}

/** Yields the lines of `files`, in order. */
export async function* readLogFiles(files: readonly string[], onSkip: (skipped: SkippedLogFile) => void): AsyncGenerator<string> {
  for (const path of files) {
    let handle;
    try {
      handle = await open(path, 'r');
    } catch (error) {
      onSkip({ path, reason: describeFsError(error) });
      continue;
    }
    let linesRead = 0;
    try {
      const magic = Buffer.alloc(2);
      const { bytesRead } = await handle.read(magic, 0, 2, 0);
      const gzip = bytesRead === 2 && magic[0] === 0x1f && magic[1] === 0x8b;
      const raw = createReadStream('', { fd: handle, start: 0, highWaterMark: 64 * 1024, autoClose: false });
      let chunks: AsyncIterable<Buffer> = raw;
      if (gzip) {
        const gunzip = createGunzip();
        raw.on('error', (error) => gunzip.destroy(error));
        chunks = raw.pipe(gunzip);
      }
      for await (const line of streamLines(chunks)) {
        linesRead++;
        yield line;
      }
    } catch (error) {
      onSkip({ path, reason: `stopped after ${linesRead} lines: ${describeFsError(error)}` });
    } finally {
      await handle.close();
    }
  }
}

/** `permission denied`, `unexpected end of file` … without the path (the caller names it). */
export function describeFsError(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  switch (e?.code) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'ENOENT':
      return 'no such file (rotated away while reading?)';
    case 'EISDIR':
      return 'is a directory';
    case 'Z_BUF_ERROR':
      return 'the gzip data ends early (truncated)';
    case 'Z_DATA_ERROR':
      return `corrupt gzip data (${e.message})`;
    default:
      return e instanceof Error ? e.message : String(error);
  }
}

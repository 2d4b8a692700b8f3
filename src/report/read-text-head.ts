/**
 * Reads the beginning of a text artifact for the report, without loading a large file into
 * memory: a diff or a log can be many megabytes, the postmortem keeps a readable head.
 */
import { closeSync, openSync, readSync } from 'node:fs';
import { redactCut } from '../core/redact.js';

export interface TextHead {
  text: string;
  /** True when the file had more than was kept. */
  truncated: boolean;
  /** Why the file could not be read (e.g. `ENOENT`), else null. */
  error: string | null;
}

/**
 * Returns at most `maxBytes` bytes and `maxLines` lines from the start of `path`, decoded as
 * UTF-8 and cut at the last complete line when truncated (so no half line or half character
 * is shown). The text is redacted here, where it is known to be cut: a known secret the cut
 * went through is masked though only its beginning is left. A missing or unreadable file gives
 * `{ text: '', error }` instead of throwing: the report still renders and says the evidence is gone.
 */
export function readTextHead(path: string, maxBytes: number, maxLines: number): TextHead {
  let fd: number;
  try {
    fd = openSync(path, 'r');
  } catch (error) {
    return { text: '', truncated: false, error: (error as NodeJS.ErrnoException).code ?? String(error) };
  }
  try {
    // One byte more than kept tells whether the file goes on.
    const buffer = Buffer.alloc(maxBytes + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const n = readSync(fd, buffer, filled, buffer.length - filled, filled);
      if (n === 0) break;
      filled += n;
    }
    let truncated = filled > maxBytes;
    let text = buffer.subarray(0, Math.min(filled, maxBytes)).toString('utf8');
    if (truncated) {
      const lastNewline = text.lastIndexOf('\n');
      // One endless line: keep it, minus a multi-byte character the cut split (decoded as U+FFFD).
      text = lastNewline >= 0 ? text.slice(0, lastNewline + 1) : text.replace(/\uFFFD+$/, '');
    }
    const lines = text.split('\n');
    // A text ending in '\n' splits into one more (empty) element than it has lines.
    const lineCount = text.endsWith('\n') ? lines.length - 1 : lines.length;
    if (lineCount > maxLines) {
      text = lines.slice(0, maxLines).join('\n') + '\n';
      truncated = true;
    }
    return { text: redactCut(text, { end: truncated }), truncated, error: null };
  } catch (error) {
    return { text: '', truncated: false, error: (error as NodeJS.ErrnoException).code ?? String(error) };
  } finally {
    closeSync(fd);
  }
}

/**
 * Byte-range helpers of the debug=2 grouper (goroutines-debug2.ts): where a location's
 * `file:line` ends, key text back to a frame, prefix and number reads without strings.
 */
import type { GoroutineFrame } from './goroutines-types.js';

const SPACE = 0x20;
const COLON = 0x3a;
const PLUS = 0x2b;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Where `path:line` ends in `\t/path/file.go:123 +0x1f fp=0x… sp=0x… pc=0x…`: before a
 * trailing ` +0x…` (the common case, found from the end), at the line's end (inlined frames
 * have no offset), or before the first ` +0`/` fp=` (crash and SIGQUIT dumps).
 */
export function locationEnd(buf: Buffer, start: number, end: number): number {
  let i = end - 1;
  while (i > start && isHexDigit(buf[i]!)) i--;
  if (buf[i] === 0x78 /* x */ && buf[i - 1] === ZERO && buf[i - 2] === PLUS && buf[i - 3] === SPACE) return i - 3;
  if (i === end - 1 || buf[i] !== COLON) {
    for (let stop = start; stop < end; stop++) {
      if (buf[stop] !== SPACE) continue;
      const next = buf[stop + 1];
      if ((next === PLUS && buf[stop + 2] === ZERO) || (next === 0x66 /* f */ && buf[stop + 3] === 0x3d) /* = */) return stop;
    }
  }
  return end;
}

function isHexDigit(c: number): boolean {
  return (c >= ZERO && c <= NINE) || (c >= 0x61 && c <= 0x66);
}

/** `func path:line` (the key's form) → a frame; the path may hold spaces and colons. */
export function parseKeyFrame(entry: string): GoroutineFrame {
  const sp = entry.indexOf(' ');
  const func = sp >= 0 ? entry.slice(0, sp) : entry;
  const loc = sp >= 0 ? entry.slice(sp + 1) : '';
  const colon = loc.lastIndexOf(':');
  const line = colon >= 0 ? Number(loc.slice(colon + 1)) : NaN;
  return Number.isInteger(line) ? { func, file: loc.slice(0, colon), line } : { func, file: loc, line: 0 };
}

/** Whether `buf[start, end)` begins with `prefix`. */
export function startsWith(buf: Buffer, start: number, end: number, prefix: Buffer): boolean {
  if (end - start < prefix.length) return false;
  for (let i = 0; i < prefix.length; i++) if (buf[start + i] !== prefix[i]) return false;
  return true;
}

/** The decimal number at `buf[start…]`, up to the first non-digit or `end`. */
export function parseDigits(buf: Buffer, start: number, end: number): number {
  let n = 0;
  for (let i = start; i < end; i++) {
    const c = buf[i]!;
    if (c < ZERO || c > NINE) break;
    n = n * 10 + (c - ZERO);
  }
  return n;
}

/**
 * Reading a dump four bytes at a time (goroutines-template.ts): V8 loads an Int32Array
 * element about as fast as a Uint8Array one, so comparing and scanning by word does a
 * quarter of the work of a byte loop.
 */

const NEWLINE = 0x0a;
const LPAREN = 0x28;
const NEWLINES = 0x0a0a0a0a;
const LPARENS = 0x28282828;
const ONES = 0x01010101;
const HIGH_BITS = 0x80808080 | 0;

/** Little-endian masks: byte `i` of a word is bits 8i…8i+7. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Bytes `off…3` of a word. */
const FROM_BYTE = new Int32Array([-1, -256, -65536, -16777216]);
/** Bytes `0…r-1` of a word (r = 0: all four). */
const TO_BYTE = new Int32Array([-1, 0xff, 0xffff, 0xffffff]);

const NO_WORDS = new Int32Array(0);

/**
 * `buf` as words (word i = bytes 4i…4i+3), or an empty array when that view cannot be
 * made (an unaligned Buffer, a big-endian machine): callers then compare byte by byte.
 */
export function wordView(buf: Uint8Array): Int32Array {
  if (!LITTLE_ENDIAN || buf.byteOffset % 4 !== 0) return NO_WORDS;
  return new Int32Array(buf.buffer, buf.byteOffset, buf.length >> 2);
}

/**
 * Whether bytes `[at, at + n)` of the viewed buffer equal bytes `[from, from + n)` of
 * `other` (also words); `at` and `from` must be equal modulo 4, and `at + n` within the view.
 */
export function bytesEqual(words: Int32Array, at: number, other: Int32Array, from: number, n: number): boolean {
  let w = at >> 2;
  let o = from >> 2;
  const stop = at + n;
  const last = (stop - 1) >> 2;
  const head = FROM_BYTE[at & 3]!;
  const tail = TO_BYTE[stop & 3]!;
  if (w === last) return ((words[w]! ^ other[o]!) & head & tail) === 0;
  if (((words[w]! ^ other[o]!) & head) !== 0) return false;
  for (w++, o++; w < last; w++, o++) if (words[w] !== other[o]) return false;
  return ((words[w]! ^ other[o]!) & tail) === 0;
}

/** Whether bytes `[at, at + n)` of `buf` equal bytes `[from, from + n)` of `other`, a byte at a time. */
export function bytesEqualByByte(buf: Uint8Array, at: number, other: Uint8Array, from: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (buf[at + i] !== other[from + i]) return false;
  return true;
}

/**
 * Where the line starting at `at` ends (its `\n`, before `end`) if no `(` comes first; else -1.
 * Whole words are skipped while none of their bytes is either.
 */
export function lineEndOutsideParens(buf: Uint8Array, words: Int32Array, at: number, end: number): number {
  let i = at;
  const wordsEnd = Math.min(end, words.length << 2) >> 2;
  for (; i < end && (i & 3) !== 0; i++) {
    const c = buf[i];
    if (c === NEWLINE) return i;
    if (c === LPAREN) return -1;
  }
  let w = i >> 2;
  for (; w < wordsEnd; w++) {
    const v = words[w]!;
    const nl = v ^ NEWLINES;
    const paren = v ^ LPARENS;
    // Non-zero exactly when some byte of `nl` or `paren` is zero (the "has zero byte" test).
    if ((((nl - ONES) & ~nl) | ((paren - ONES) & ~paren)) & HIGH_BITS) break;
  }
  for (i = Math.max(i, w << 2); i < end; i++) {
    const c = buf[i];
    if (c === NEWLINE) return i;
    if (c === LPAREN) return -1;
  }
  return -1;
}

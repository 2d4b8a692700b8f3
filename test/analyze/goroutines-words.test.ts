/**
 * Word-at-a-time comparison and scanning (src/analyze/goroutines-words.ts) against the
 * byte loops they replace, at every alignment and length, on bytes that differ in one
 * place at a time.
 */
import { describe, expect, it } from 'vitest';
import { bytesEqual, lineEndOutsideParens, wordView } from '../../src/analyze/goroutines-words.ts';

/** `bytes` at offset `shift` of a buffer of whole words, viewed as words. */
function shifted(bytes: Uint8Array, shift: number): { buf: Uint8Array; words: Int32Array } {
  const buf = new Uint8Array(((shift + bytes.length + 3) & ~3) + 4);
  buf.set(bytes, shift);
  return { buf, words: wordView(buf) };
}

const text = new TextEncoder().encode('main.(*pool).worker(0xc000010000, 0x3)\n\t/srv/pool.go:42 +0x1d\n');

describe('bytesEqual', () => {
  it('agrees with a byte comparison for every start, length and single differing byte', () => {
    for (let shift = 0; shift < 4; shift++) {
      for (let start = 0; start < 12; start++) {
        for (let n = 1; n <= 20; n++) {
          const at = 8 + start; // the dump side, at any alignment
          const from = shift + start + ((at - (shift + start)) & 3); // same alignment in the template
          const dump = new Uint8Array(at + n + 8);
          const template = new Uint8Array(from + n + 8);
          template.set(text.subarray(start, start + n), from);
          dump.set(text.subarray(start, start + n), at);
          const t = shifted(template, 0);
          const d = shifted(dump, 0);
          expect(bytesEqual(d.words, at, t.words, from, n)).toBe(true);
          for (let k = 0; k < n; k++) {
            d.buf[at + k] ^= 0x20;
            expect(bytesEqual(d.words, at, t.words, from, n)).toBe(false);
            d.buf[at + k] ^= 0x20;
          }
          // Bytes just outside the range do not count.
          d.buf[at - 1] ^= 0x01;
          d.buf[at + n] ^= 0x01;
          expect(bytesEqual(d.words, at, t.words, from, n)).toBe(true);
        }
      }
    }
  });
});

describe('lineEndOutsideParens', () => {
  const naive = (buf: Uint8Array, at: number, end: number) => {
    for (let i = at; i < end; i++) {
      if (buf[i] === 0x0a) return i;
      if (buf[i] === 0x28) return -1;
    }
    return -1;
  };

  it('finds the newline, or -1 at a "(" or the end, from every offset and alignment', () => {
    const line = new TextEncoder().encode('0xc000010000, 0x3, 0xc0000a2000, {0x0, 0x0}, ...)\nnext(');
    for (let shift = 0; shift < 4; shift++) {
      const { buf, words } = shifted(line, shift);
      for (let at = shift; at < shift + line.length; at++) {
        for (const end of [shift + line.length, shift + 30, at + 1]) {
          expect(lineEndOutsideParens(buf, words, at, end)).toBe(naive(buf, at, end));
        }
      }
      const paren = buf.indexOf(0x7b); // '{' → '(' part way through
      buf[paren] = 0x28;
      for (let at = shift; at < shift + line.length; at++) expect(lineEndOutsideParens(buf, words, at, buf.length)).toBe(naive(buf, at, buf.length));
    }
  });

  it('scans byte by byte when no word view could be made', () => {
    const { buf } = shifted(text, 1);
    expect(lineEndOutsideParens(buf, new Int32Array(0), 21, buf.length)).toBe(naive(buf, 21, buf.length));
    expect(wordView(buf.subarray(1)).length).toBe(0); // unaligned
  });
});

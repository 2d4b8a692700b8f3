/**
 * The fast path of the debug=2 grouper (goroutines-debug2.ts): the previous goroutine's
 * text, kept as the bytes that decide its group, matched against the next goroutine in
 * one forward pass. In the dump of a leak, tens of thousands of goroutines in a row differ
 * only in their id, their argument values and their parent's id; comparing bytes once
 * replaces finding each line, interning it and looking the key up.
 *
 * A match implies the general path would have given the same group: every byte that path
 * reads into the key is compared, and what is skipped (the id, arguments, the parent id)
 * never reaches the key. Anything the template does not describe exactly (another stack,
 * `\r\n`, SIGQUIT annotations, a different wait duration) fails the match and the goroutine
 * takes the general path, which records the next template.
 *
 * Bytes are compared four at a time through Int32Array views (about four times faster than
 * a byte loop on V8): the template is kept in four copies shifted by 0–3 bytes, so that a
 * copy's words line up with the dump's words wherever the goroutine starts.
 */
import { appendBytes, grow } from './goroutines-line-table.js';
import { bytesEqual, bytesEqualByByte, lineEndOutsideParens } from './goroutines-words.js';

const NEWLINE = 0x0a;
const RPAREN = 0x29;
const ZERO = 0x30;
const NINE = 0x39;
const GOROUTINE = Buffer.from('goroutine ');

/** `n` bytes that must be equal. */
const LITERAL = 0;
/** A function's arguments: no `(`, ending with `)` before the line's `\n` (which the next literal holds). */
const ARGS = 1;
/** The goroutine's id: digits. */
const ID = 2;
/** `created by X in goroutine N`: the parent's id, digits. */
const PARENT = 3;

export class GoroutineTemplate {
  private bytes = new Uint8Array(4096);
  private length = 0;
  /** (kind, byte length) pairs; only LITERAL has bytes. */
  private ops = new Int32Array(256);
  private opsLength = 0;
  /** `bytes` shifted right by 0–3 bytes, as words; made on the first match that needs them. */
  private readonly shifted = [new Int32Array(1024), new Int32Array(1024), new Int32Array(1024), new Int32Array(1024)];
  private shiftedMade = false;
  private recording = false;
  /** A whole goroutine was recorded: {@link match} may be called. */
  ready = false;
  /** Set by a successful {@link match}: the goroutine's id, and its parent's or -1. */
  id = 0;
  parentId = -1;

  /** A goroutine starts on the general path: `buf[rest, lineEnd)` is its header after the id. */
  begin(buf: Uint8Array, rest: number, lineEnd: number): void {
    this.ready = false;
    this.recording = true;
    this.length = 0;
    this.opsLength = 0;
    this.shiftedMade = false;
    this.pushLiteral(GOROUTINE, 0, GOROUTINE.length);
    this.pushOp(ID, 0);
    this.literal(buf, rest, lineEnd);
  }

  /** A line taken whole into the key, e.g. a frame's location (tab included). */
  literal(buf: Uint8Array, start: number, lineEnd: number): void {
    if (this.recording && buf[lineEnd] === NEWLINE) this.pushLiteral(buf, start, lineEnd + 1);
    else this.recording = false;
  }

  /** A function line: the name ends at `paren`, the line at `lineEnd`. */
  func(buf: Uint8Array, start: number, paren: number, lineEnd: number): void {
    if (!this.recording || buf[lineEnd] !== NEWLINE) return this.spoil();
    this.pushLiteral(buf, start, paren + 1);
    this.pushOp(ARGS, 0);
    this.pushLiteral(buf, lineEnd, lineEnd + 1);
  }

  /** `created by X in goroutine N`: the parent's id starts at `digits`. */
  created(buf: Uint8Array, start: number, digits: number, lineEnd: number): void {
    if (!this.recording || buf[lineEnd] !== NEWLINE) return this.spoil();
    this.pushLiteral(buf, start, digits);
    this.pushOp(PARENT, 0);
    this.pushLiteral(buf, lineEnd, lineEnd + 1);
  }

  /** The goroutine holds a line the template cannot describe. */
  spoil(): void {
    this.recording = false;
  }

  /** The goroutine recorded since {@link begin} ended; if nothing spoiled it, it is the template. */
  finish(): void {
    if (this.recording) this.pushLiteral(BLANK_LINE, 0, 1); // a match ends at the blank line
    this.ready = this.recording;
    this.recording = false;
  }

  /**
   * Whether the goroutine at `buf[at…]` (its header line) has the template's group and ends
   * with a blank line before `end`: then the index after that blank line, else -1.
   * `words` is {@link wordView} of `buf`.
   */
  match(buf: Uint8Array, words: Int32Array, at: number, end: number): number {
    const ops = this.ops;
    let pos = at;
    let from = 0;
    let id = -1;
    let parentId = -1;
    for (let op = 0; op < this.opsLength; op += 2) {
      const kind = ops[op]!;
      if (kind === LITERAL) {
        const n = ops[op + 1]!;
        if (pos + n > end) return -1;
        // Until a goroutine got past the first literals (`goroutine `, then the state and the
        // top function), they are checked byte by byte: most mismatches show there, before
        // the shifted copies are worth making.
        if ((op < 6 && !this.shiftedMade) || pos + n > words.length << 2) {
          if (!bytesEqualByByte(buf, pos, this.bytes, from, n)) return -1;
        } else {
          if (!this.shiftedMade) this.makeShifted();
          const a = (pos - from) & 3;
          if (!bytesEqual(words, pos, this.shifted[a]!, a + from, n)) return -1;
        }
        pos += n;
        from += n;
      } else if (kind === ARGS) {
        const nl = lineEndOutsideParens(buf, words, pos, end);
        if (nl < 0 || buf[nl - 1] !== RPAREN) return -1;
        pos = nl;
      } else {
        const digits = pos;
        let n = 0;
        for (let c = buf[pos]!; c >= ZERO && c <= NINE && pos < end; c = buf[++pos]!) n = n * 10 + (c - ZERO);
        if (pos === digits) return -1;
        if (kind === ID) id = n;
        else parentId = n;
      }
    }
    this.id = id;
    this.parentId = parentId;
    return pos;
  }

  private makeShifted(): void {
    const words = ((this.length + 3 + 3) >> 2) + 1;
    for (let a = 0; a < 4; a++) {
      if (this.shifted[a]!.length < words) this.shifted[a] = new Int32Array(words * 2);
      const copy = new Uint8Array(this.shifted[a]!.buffer);
      copy.fill(0, 0, a);
      copy.set(this.bytes.subarray(0, this.length), a);
    }
    this.shiftedMade = true;
  }

  private pushLiteral(buf: Uint8Array, start: number, stop: number): void {
    const n = stop - start;
    this.bytes = appendBytes(this.bytes, this.length, buf, start, stop);
    this.length += n;
    // Adjacent literals (a location, then the next function's name) are one comparison.
    if (this.opsLength > 0 && this.ops[this.opsLength - 2] === LITERAL) this.ops[this.opsLength - 1]! += n;
    else this.pushOp(LITERAL, n);
  }

  private pushOp(kind: number, n: number): void {
    if (this.opsLength + 2 > this.ops.length) this.ops = grow(this.ops);
    this.ops[this.opsLength++] = kind;
    this.ops[this.opsLength++] = n;
  }
}

const BLANK_LINE = Buffer.from('\n');

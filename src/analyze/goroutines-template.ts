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
 * This class records templates; the comparison runs in WebAssembly (goroutines-wasm.ts,
 * goroutines-match.wat), over the ops recorded here.
 */
import { appendBytes, grow } from './goroutines-line-table.js';
import type { WasmMatcher } from './goroutines-wasm.js';

const NEWLINE = 0x0a;
const GOROUTINE = Buffer.from('goroutine ');

// Op kinds, as goroutines-match.wat reads them.
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
  /** The matcher holds this template (it is loaded on the first match after recording). */
  private loaded = false;
  private recording = false;
  /** A whole goroutine was recorded: {@link match} may be called. */
  ready = false;

  /** A goroutine starts on the general path: `buf[rest, lineEnd)` is its header after the id. */
  begin(buf: Uint8Array, rest: number, lineEnd: number): void {
    this.ready = false;
    this.recording = true;
    this.length = 0;
    this.opsLength = 0;
    this.loaded = false;
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
   * Whether the goroutine at `matcher.chunk[at…]` (its header line) has the template's group
   * and ends with a blank line before `end`: then the index after that blank line, else -1.
   * The goroutine's id and parent id are then in the matcher.
   */
  match(matcher: WasmMatcher, at: number, end: number): number {
    if (!this.loaded) {
      // Loaded on the first match, not when recorded: most recorded goroutines are never a template.
      if (!matcher.load(this.ops, this.opsLength, this.bytes, this.length)) {
        this.ready = false; // larger than the matcher's memory: this stack takes the general path
        return -1;
      }
      this.loaded = true;
    }
    return matcher.match(at, end);
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

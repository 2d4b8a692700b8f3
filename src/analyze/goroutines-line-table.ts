/**
 * Interns byte ranges (function names, `file:line` locations, header brackets) as small
 * integer ids without making a string: a goroutine dump repeats a few hundred distinct
 * lines hundreds of thousands of times, so a goroutine's identity becomes a short
 * sequence of ints. The bytes live in one growing arena; the table is open addressing
 * over an Int32Array (no per-entry objects, nothing for the garbage collector).
 * Every hit is confirmed by comparing the bytes, so equal ids always mean equal bytes.
 */

/** FNV-1a 32-bit prime; the basis is the range's length so short prefixes differ. */
const FNV_PRIME = 0x01000193;
/** Bytes hashed at each end of a range: names differ near their end, paths near both. */
const SAMPLE = 12;

/** Byte range → dense id (0, 1, 2 … in first-seen order). */
export class LineTable {
  private arena = new Uint8Array(64 * 1024);
  private arenaLen = 0;
  private starts = new Int32Array(256);
  private lengths = new Int32Array(256);
  private hashes = new Int32Array(256);
  /** Open-addressing slots holding id + 1 (0 = empty); kept at most half full. */
  private slots = new Int32Array(1024);
  private readonly texts: (string | undefined)[] = [];
  /** Distinct ranges interned so far. */
  size = 0;

  /**
   * The id of `buf[start, end)`, interning it if new. `guess` (an id, or -1) is tried
   * first with a byte comparison alone: in a dump, a goroutine's lines usually repeat
   * the previous goroutine's, so most look-ups skip hashing.
   */
  intern(buf: Uint8Array, start: number, end: number, guess: number): number {
    if (guess >= 0 && this.matches(guess, buf, start, end)) return guess;
    const n = end - start;
    let hash = n;
    const head = start + SAMPLE < end ? start + SAMPLE : end;
    for (let i = start; i < head; i++) hash = Math.imul(hash ^ buf[i]!, FNV_PRIME);
    for (let i = end - SAMPLE > head ? end - SAMPLE : head; i < end; i++) hash = Math.imul(hash ^ buf[i]!, FNV_PRIME);
    const slots = this.slots;
    const mask = slots.length - 1;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const held = slots[slot]!;
      if (held === 0) break;
      const id = held - 1;
      if (this.hashes[id] === hash && this.matches(id, buf, start, end)) return id;
    }
    return this.add(buf, start, end, hash);
  }

  /** The bytes of `id` decoded as UTF-8, made once per id. */
  text(id: number): string {
    let text = this.texts[id];
    if (text === undefined) {
      const start = this.starts[id]!;
      text = Buffer.from(this.arena.buffer, this.arena.byteOffset + start, this.lengths[id]).toString('utf8');
      this.texts[id] = text;
    }
    return text;
  }

  private matches(id: number, buf: Uint8Array, start: number, end: number): boolean {
    const n = end - start;
    if (this.lengths[id] !== n) return false;
    const arena = this.arena;
    const at = this.starts[id]!;
    // From the end: lines of one program share long prefixes (module paths).
    for (let i = n - 1; i >= 0; i--) if (arena[at + i] !== buf[start + i]) return false;
    return true;
  }

  private add(buf: Uint8Array, start: number, end: number, hash: number): number {
    const n = end - start;
    this.arena = appendBytes(this.arena, this.arenaLen, buf, start, end);
    const id = this.size++;
    if (id === this.starts.length) {
      this.starts = grow(this.starts);
      this.lengths = grow(this.lengths);
      this.hashes = grow(this.hashes);
    }
    this.starts[id] = this.arenaLen;
    this.lengths[id] = n;
    this.hashes[id] = hash;
    this.arenaLen += n;
    if (this.size * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.place(this.slots, id);
    return id;
  }

  private rehash(capacity: number): void {
    const slots = new Int32Array(capacity);
    for (let id = 0; id < this.size; id++) this.place(slots, id);
    this.slots = slots;
  }

  private place(slots: Int32Array, id: number): void {
    const mask = slots.length - 1;
    let slot = this.hashes[id]! & mask;
    while (slots[slot] !== 0) slot = (slot + 1) & mask;
    slots[slot] = id + 1;
  }
}

/**
 * Writes `buf[start, end)` at `length` in `arena`, first into a copy twice as long (or
 * long enough) when it does not fit; returns the array that holds the bytes.
 */
export function appendBytes(
  arena: Uint8Array<ArrayBuffer>,
  length: number,
  buf: Uint8Array,
  start: number,
  end: number,
): Uint8Array<ArrayBuffer> {
  let into = arena;
  if (length + end - start > arena.length) {
    into = new Uint8Array(Math.max(arena.length * 2, length + end - start));
    into.set(arena.subarray(0, length));
  }
  into.set(buf.subarray(start, end), length);
  return into;
}

/** A copy of `array` twice as long. */
export function grow(array: Int32Array): Int32Array<ArrayBuffer> {
  const bigger = new Int32Array(array.length * 2);
  bigger.set(array);
  return bigger;
}

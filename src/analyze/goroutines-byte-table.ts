/**
 * A hash table keyed by byte strings that never turns the bytes into a JS string: the
 * caller passes the bytes and their FNV-1a hash (computed while it copied them), a hit is
 * confirmed with Buffer#compare (native, no allocation). Grouping 200,000 goroutines
 * this way makes no per-goroutine garbage, which a string key per goroutine did
 * (measured with node --cpu-prof: a third of the time went to the garbage collector).
 */

/** FNV-1a 32-bit offset basis; fold bytes in with {@link fnv1a}. */
export const FNV_OFFSET = 0x811c9dc5;

/** One FNV-1a step: the hash of the bytes so far followed by `byte`. */
export function fnv1a(hash: number, byte: number): number {
  return Math.imul(hash ^ byte, 0x01000193);
}

interface Entry<V> {
  bytes: Buffer;
  value: V;
}

/** Byte-string → value, for keys that repeat a lot and are few distinct. */
export class ByteKeyTable<V> {
  private readonly slots = new Map<number, Entry<V>[]>();

  /** The value stored for `buf[start, end)` whose hash is `hash`, if any. */
  get(buf: Buffer, start: number, end: number, hash: number): V | undefined {
    const entries = this.slots.get(hash);
    if (!entries) return undefined;
    for (const entry of entries) {
      if (entry.bytes.length === end - start && sameBytes(entry.bytes, buf, start)) return entry.value;
    }
    return undefined;
  }

  /** Stores a copy of `buf[start, end)` with `value` (the caller checked it is absent). */
  set(buf: Buffer, start: number, end: number, hash: number, value: V): void {
    const entry = { bytes: Buffer.from(buf.subarray(start, end)), value };
    const entries = this.slots.get(hash);
    if (entries) entries.push(entry);
    else this.slots.set(hash, [entry]);
  }
}

/**
 * Whether `buf` holds `bytes` at `at`. A JS loop: Buffer#compare with offsets validates its
 * five arguments in JS before its memcmp, which cost ~200 ns a call (node --cpu-prof,
 * compareOffset) — more than comparing a few hundred bytes here.
 */
function sameBytes(bytes: Buffer, buf: Buffer, at: number): boolean {
  // From the end: keys of one bucket share their first frames and differ near the leaf's creator.
  for (let i = bytes.length - 1; i >= 0; i--) if (bytes[i] !== buf[at + i]) return false;
  return true;
}

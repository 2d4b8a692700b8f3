/**
 * Groups keyed by a goroutine's identity as ints: its state id followed by the ids of
 * its frames' function names and locations (goroutines-line-table.ts). Hashing a dozen
 * ints per goroutine replaces hashing and comparing hundreds of key bytes.
 */

const FNV_PRIME = 0x01000193;

interface Entry<V> {
  state: number;
  seq: Int32Array;
  value: V;
}

/** (state id, int sequence) → value. */
export class IntSeqTable<V> {
  private readonly slots = new Map<number, Entry<V>[]>();

  /** The value stored for `state` and `seq[0, len)`, if any. */
  get(state: number, seq: Int32Array, len: number): V | undefined {
    const entries = this.slots.get(hashSeq(state, seq, len));
    if (!entries) return undefined;
    for (const entry of entries) if (entry.state === state && entry.seq.length === len && sameInts(entry.seq, seq, len)) return entry.value;
    return undefined;
  }

  /** Stores a copy of `seq[0, len)` with `value` (the caller checked it is absent). */
  set(state: number, seq: Int32Array, len: number, value: V): void {
    const hash = hashSeq(state, seq, len);
    const entry = { state, seq: seq.slice(0, len), value };
    const entries = this.slots.get(hash);
    if (entries) entries.push(entry);
    else this.slots.set(hash, [entry]);
  }
}

/** Whether `a[0, len)` equals `b[0, len)` (both hold at least `len` ints). */
export function sameInts(a: Int32Array, b: Int32Array, len: number): boolean {
  for (let i = len - 1; i >= 0; i--) if (a[i] !== b[i]) return false;
  return true;
}

function hashSeq(state: number, seq: Int32Array, len: number): number {
  let hash = Math.imul(state ^ len, FNV_PRIME);
  for (let i = 0; i < len; i++) hash = Math.imul(hash ^ seq[i]!, FNV_PRIME);
  return hash;
}

/**
 * Walks the Sample messages (Profile field 2) of an un-gzipped profile.proto one at a
 * time: per sample, the location slots (leaf first) and the value at one sample index.
 * Labels and the other values are skipped; nothing is allocated per sample (the slots
 * go into one reused Int32Array).
 */
import { WireError, WireReader } from './profile-fast-wire.js';

/** Tag bytes (field << 3 | wire type) of profile.proto's Profile.sample and Sample fields. */
const TAG_SAMPLE = 0x12;
const TAG_LOCATION_PACKED = 0x0a;
const TAG_LOCATION = 0x08;
const TAG_VALUE_PACKED = 0x12;
const TAG_VALUE = 0x10;

/** Cursor over the samples: call next() until it returns false, reading `value`, `count` and `slots`. */
export class SampleScanner {
  /** Location slots of the current sample, leaf first, in slots[0..count). */
  slots = new Int32Array(256);
  count = 0;
  /** The current sample's value at the chosen index. */
  value = 0;
  /** 0-based number of the current sample, for error messages. */
  index = -1;
  private readonly r: WireReader;

  constructor(
    buf: Buffer,
    private readonly slotOfId: Int32Array,
    private readonly valueIndex: number,
    private readonly valueCount: number,
  ) {
    this.r = new WireReader(buf);
  }

  /** Advances to the next sample; false at the end of the profile. */
  next(): boolean {
    const r = this.r;
    while (r.pos < r.end) {
      const tag = r.varint();
      if (tag === TAG_SAMPLE) {
        const end = r.lengthEnd();
        this.index++;
        this.readSample(end);
        return true;
      }
      if (tag >>> 3 === 0) throw new WireError(`bad tag at byte ${r.pos}`);
      r.skip(tag & 7);
    }
    return false;
  }

  private readSample(end: number): void {
    const r = this.r;
    this.count = 0;
    let seen = 0;
    let value = 0;
    while (r.pos < end) {
      const tag = r.varint();
      if (tag === TAG_LOCATION_PACKED) {
        const stop = r.lengthEnd();
        this.readLocationIds(stop);
      } else if (tag === TAG_LOCATION) {
        this.pushLocation(r.varint());
      } else if (tag === TAG_VALUE_PACKED) {
        const stop = r.lengthEnd();
        while (r.pos < stop) {
          const v = r.varint();
          if (seen++ === this.valueIndex) value = v;
        }
      } else if (tag === TAG_VALUE) {
        const v = r.varint();
        if (seen++ === this.valueIndex) value = v;
      } else if (tag >>> 3 > 0) r.skip(tag & 7);
      else throw new WireError(`bad tag in sample ${this.index}`);
    }
    if (r.pos !== end) throw new WireError(`sample ${this.index} runs past its length`);
    if (seen !== this.valueCount) throw new WireError(`sample ${this.index} has ${seen} values for ${this.valueCount} types`);
    this.value = value;
  }

  /** Packed location ids: the hot loop of the whole decode (one or two byte varints inline). */
  private readLocationIds(stop: number): void {
    const r = this.r;
    const buf = r.buf;
    const slotOfId = this.slotOfId;
    const maxId = slotOfId.length - 1;
    let p = r.pos;
    while (p < stop) {
      let id = buf[p]!;
      if (id < 0x80) p++;
      else {
        r.pos = p;
        id = r.varint();
        p = r.pos;
      }
      const slot = id <= maxId ? slotOfId[id]! : -1;
      if (slot < 0) throw new WireError(`sample ${this.index} names missing location ${id}`);
      if (this.count === this.slots.length) this.grow();
      this.slots[this.count++] = slot;
    }
    if (p !== stop) throw new WireError(`sample ${this.index} location ids run past their length`);
    r.pos = p;
  }

  private pushLocation(id: number): void {
    const slot = id >= 0 && id < this.slotOfId.length ? this.slotOfId[id]! : -1;
    if (slot < 0) throw new WireError(`sample ${this.index} names missing location ${id}`);
    if (this.count === this.slots.length) this.grow();
    this.slots[this.count++] = slot;
  }

  private grow(): void {
    const bigger = new Int32Array(this.slots.length * 2);
    bigger.set(this.slots);
    this.slots = bigger;
  }
}

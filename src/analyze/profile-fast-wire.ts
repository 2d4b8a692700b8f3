/**
 * A minimal protobuf wire-format reader for the fast profile path: varints, tags,
 * length-delimited ranges and skipping, over one Buffer, with no allocation per read
 * (the position lives in the reader; every method returns a plain number).
 */

/**
 * gunzip output cap for the streaming readers (detection, `-top`): they hold the bytes but
 * no objects, so they take twice the decoder's cap (profile.ts); it still stops a gzip bomb.
 */
export const MAX_STREAMED_PROFILE_BYTES = 1024 * 1024 * 1024;

/** Protobuf wire types (https://protobuf.dev/programming-guides/encoding/#structure). */
export const WireType = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;

/** Thrown for truncated or malformed input; the caller wraps it into a ToolError naming the file. */
export class WireError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireError';
  }
}

const TWO_32 = 4294967296;

/** Cursor over protobuf bytes: `pos` advances as fields are read. */
export class WireReader {
  pos = 0;
  constructor(
    readonly buf: Buffer,
    /** One past the last byte this reader may read. */
    public end: number = buf.length,
  ) {}

  /**
   * A varint as a number: exact below 2^53; an int64 that went negative (ten bytes,
   * two's complement, as Go's protobuf encoder writes negative values) comes back negative.
   */
  varint(): number {
    const buf = this.buf;
    let p = this.pos;
    if (p >= this.end) throw new WireError(`truncated varint at byte ${p}`);
    let b = buf[p++]!;
    if (b < 0x80) {
      this.pos = p;
      return b;
    }
    // Low 32 bits with bit operations (exact), the rest in `hi` (bits 32..63).
    let lo = b & 0x7f;
    let shift = 7;
    while (shift < 28) {
      if (p >= this.end) throw new WireError(`truncated varint at byte ${p}`);
      b = buf[p++]!;
      lo |= (b & 0x7f) << shift;
      if (b < 0x80) {
        this.pos = p;
        return lo >>> 0;
      }
      shift += 7;
    }
    if (p >= this.end) throw new WireError(`truncated varint at byte ${p}`);
    b = buf[p++]!;
    lo |= (b & 0x0f) << 28; // bits 28..31
    let hi = (b & 0x7f) >> 4; // bits 32..34
    let hiShift = 3;
    while (b >= 0x80) {
      if (p >= this.end || hiShift > 31) throw new WireError(`bad varint at byte ${p}`);
      b = buf[p++]!;
      hi |= (b & 0x7f) << hiShift;
      hiShift += 7;
    }
    this.pos = p;
    // hi | 0 reinterprets bit 63 as the sign: int64 semantics.
    return (hi | 0) * TWO_32 + (lo >>> 0);
  }

  /** The end offset of a length-delimited field whose tag was just read; checks it fits. */
  lengthEnd(): number {
    const len = this.varint();
    const end = this.pos + len;
    if (len < 0 || end > this.end) throw new WireError(`field length ${len} at byte ${this.pos} runs past the end`);
    return end;
  }

  /** Skips the value of a field of wire type `wire` (groups, long deprecated, are refused). */
  skip(wire: number): void {
    if (wire === WireType.varint) this.varint();
    else if (wire === WireType.bytes) this.pos = this.lengthEnd();
    else if (wire === WireType.fixed64) this.pos += 8;
    else if (wire === WireType.fixed32) this.pos += 4;
    else throw new WireError(`unsupported wire type ${wire} at byte ${this.pos}`);
    if (this.pos > this.end) throw new WireError('truncated field');
  }
}

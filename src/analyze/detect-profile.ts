/**
 * Recognising a pprof profile from its tables only (profile-fast-tables.ts): sample types,
 * default sample type, period type and the number of samples, plus — for the two kinds
 * that share `contentions,delay` — the leaf function of each sample. Decoding a 50 MB
 * profile into objects (pprof-format) to learn its kind took 16 s; this walks the bytes once.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { readFastTables, type FastTables } from './profile-fast-tables.js';
import { SampleScanner } from './profile-fast-samples.js';
import { MAX_STREAMED_PROFILE_BYTES, WireReader, WireType } from './profile-fast-wire.js';

/** The parts of a profile that say what it is. */
export interface ProfileOutline {
  sampleTypes: { type: string; unit: string }[];
  defaultSampleIndex: number;
  /** Profile.period_type's type, e.g. `cpu`, `space`, `contentions`, `trace` (`go tool trace -pprof`). */
  periodType?: string;
  /** Number of Sample messages. */
  sampleCount: number;
  /** Leaf function names, one per sample (read only when asked: mutex and block need them). */
  leafNames: () => string[];
  /** The decompressed profile.proto the outline was read from. */
  proto: Buffer;
}

/** Profile fields read here besides the tables (google/pprof proto/profile.proto). */
const FIELD_SAMPLE = 2;
const FIELD_STRING_TABLE = 6;
const FIELD_PERIOD_TYPE = 11;

/**
 * Reads the outline of a profile file, gzip-compressed or raw profile.proto. Throws
 * (WireError, RangeError, or zlib's Error) when the bytes are not a whole profile.
 */
export async function readProfileOutline(path: string): Promise<ProfileOutline> {
  let bytes: Buffer = await readFile(path);
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) bytes = gunzipSync(bytes, { maxOutputLength: MAX_STREAMED_PROFILE_BYTES });
  const proto = bytes;
  const tables = readFastTables(proto);
  const { sampleCount, periodTypeIndex } = countSamples(proto);
  return {
    sampleTypes: tables.sampleTypes,
    defaultSampleIndex: tables.defaultSampleIndex,
    periodType: periodTypeIndex === undefined ? undefined : stringAt(proto, periodTypeIndex),
    sampleCount,
    leafNames: () => leafNames(proto, tables),
    proto,
  };
}

/** Top-level walk: Sample messages are counted and skipped by length, period_type.type read. */
function countSamples(proto: Buffer): { sampleCount: number; periodTypeIndex?: number } {
  const r = new WireReader(proto);
  let sampleCount = 0;
  let periodTypeIndex: number | undefined;
  while (r.pos < r.end) {
    const tag = r.varint();
    const field = tag >>> 3;
    const wire = tag & 7;
    if (field === FIELD_SAMPLE && wire === WireType.bytes) {
      sampleCount++;
      r.pos = r.lengthEnd();
    } else if (field === FIELD_PERIOD_TYPE && wire === WireType.bytes) {
      const end = r.lengthEnd();
      while (r.pos < end) {
        const t = r.varint();
        if (t === 0x08) periodTypeIndex = r.varint();
        else r.skip(t & 7);
      }
    } else r.skip(wire);
  }
  return { sampleCount, periodTypeIndex };
}

/** string_table[index], found by walking the string entries (only called once per profile). */
function stringAt(proto: Buffer, index: number): string {
  const r = new WireReader(proto);
  let i = 0;
  while (r.pos < r.end) {
    const tag = r.varint();
    if (tag >>> 3 === FIELD_STRING_TABLE && (tag & 7) === WireType.bytes) {
      const end = r.lengthEnd();
      if (i++ === index) return proto.toString('utf8', r.pos, end);
      r.pos = end;
    } else r.skip(tag & 7);
  }
  return '';
}

/** Each sample's leaf: its first location's innermost line (locNodes are stored outermost first). */
function leafNames(proto: Buffer, tables: FastTables): string[] {
  const scanner = new SampleScanner(proto, tables.slotOfId, 0, tables.sampleTypes.length);
  const names: string[] = [];
  while (scanner.next()) {
    if (scanner.count === 0) {
      names.push('');
      continue;
    }
    const slot = scanner.slots[0]!;
    const node = tables.locNodes[tables.locFirst[slot]! + tables.locCount[slot]! - 1]!;
    names.push(tables.nodes[node]?.name ?? '');
  }
  return names;
}

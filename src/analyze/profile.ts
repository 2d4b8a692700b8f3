/**
 * profile.proto decoding (pprof-format) into a plain, number-only model, and the
 * `go tool pprof -top` table computed from it.
 */
import { readFile } from 'node:fs/promises';
import { gunzipSync } from 'node:zlib';
import { Profile } from 'pprof-format';
import { ToolError } from '../core/errors.js';
import { WireError } from './profile-fast-wire.js';

export interface ProfileFunction {
  id: number;
  name: string;
  systemName: string;
  filename: string;
  startLine: number;
}

export interface ProfileLine {
  func: ProfileFunction;
  line: number;
}

export interface ProfileLocation {
  id: number;
  address: number;
  /** Innermost first: when a call was inlined, lines[0] is the inlined callee, the last is the caller. */
  lines: ProfileLine[];
}

export interface ProfileSample {
  /** Leaf first. */
  locations: ProfileLocation[];
  /** Parallel to DecodedProfile.sampleTypes. */
  values: number[];
  labels: Record<string, string | number>;
}

export interface DecodedProfile {
  sampleTypes: { type: string; unit: string }[];
  /** default_sample_type, or the last sample type when it is unset (profile.proto). */
  defaultSampleIndex: number;
  samples: ProfileSample[];
  periodType?: { type: string; unit: string };
  period: number;
  timeNanos: number;
  durationNanos: number;
}

export interface TopFunctionRow {
  func: string;
  /** Value of samples whose leaf (innermost inlined) frame is this function. */
  flat: number;
  /** Value of samples with this function anywhere on the stack, each sample counted once. */
  cum: number;
  flatPct: number;
  cumPct: number;
  /** Source file and first line of the function, as the profile records them. */
  file: string;
  startLine: number;
}

/** gunzip output cap: a real profile is a few MB; this stops a gzip bomb. */
const MAX_PROFILE_BYTES = 512 * 1024 * 1024;

/** A ToolError naming the profile file and saying what is wrong with it. */
export function profileError(path: string, why: string): ToolError {
  return new ToolError(
    `cannot decode profile ${path}: ${why}`,
    [],
    null,
    null,
    path,
    'check that the endpoint serves a pprof profile (debug=0)',
  );
}

/**
 * `err`, thrown while reading profile.proto bytes by hand (profile-fast-*.ts), as the user
 * should see it: malformed bytes (a WireError, or a RangeError from reading past the
 * buffer) become a profileError naming `name`; any other error is returned as it is.
 */
export function malformedProfileError(name: string, err: unknown): unknown {
  return err instanceof WireError || err instanceof RangeError ? profileError(name, `not a profile.proto (${err.message})`) : err;
}

/**
 * The profile.proto bytes of a file: gzip-compressed (as Go serves and writes them,
 * `1f 8b`) or raw. Throws profileError for an empty file or half a gzip.
 */
export async function readProfileProto(path: string, maxBytes = MAX_PROFILE_BYTES): Promise<Buffer> {
  const bytes: Buffer = await readFile(path);
  if (bytes.length === 0) throw profileError(path, 'the file is empty');
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes;
  try {
    return gunzipSync(bytes, { maxOutputLength: maxBytes });
  } catch (err) {
    throw profileError(path, `bad gzip data (${(err as Error).message})`);
  }
}

/**
 * Reads a profile file: gzip-compressed or raw profile.proto. Throws ToolError naming the
 * file when it is not a profile: half a gzip, an HTML page served with 200, an empty file.
 */
export async function decodeProfileFile(path: string): Promise<DecodedProfile> {
  const bytes = await readProfileProto(path);
  const fail = (why: string) => profileError(path, why);
  let raw: Profile;
  try {
    raw = Profile.decode(bytes);
  } catch (err) {
    throw fail(`not a profile.proto (${(err as Error).message})`);
  }
  return normaliseProfile(raw, fail);
}

/**
 * A sample value as the int64 profile.proto declares: pprof-format hands values past 2^53
 * over as unsigned bigints, so a negative value (a `-diff_base` profile written by pprof)
 * arrives as 2^64 − x.
 */
function int64(value: number | bigint): number {
  return typeof value === 'bigint' ? Number(BigInt.asIntN(64, value)) : value;
}

/** pprof-format gives `number | bigint` for integer fields; everything here is a number. */
function normaliseProfile(raw: Profile, fail: (why: string) => Error): DecodedProfile {
  const strings = raw.stringTable?.strings ?? [];
  // profile.proto requires string_table[0] == ""; random bytes almost never satisfy it.
  if (strings.length === 0 || strings[0] !== '') throw fail('string table does not start with ""');
  const str = (i: number | bigint | undefined) => strings[Number(i ?? 0)] ?? '';
  const sampleTypes = raw.sampleType.map((t) => ({ type: str(t.type), unit: str(t.unit) }));
  if (sampleTypes.length === 0) throw fail('no sample types');

  const functions = new Map<number, ProfileFunction>();
  for (const f of raw.function) {
    const id = Number(f.id);
    functions.set(id, {
      id,
      name: str(f.name),
      systemName: str(f.systemName),
      filename: str(f.filename),
      startLine: Number(f.startLine ?? 0),
    });
  }
  const locations = new Map<number, ProfileLocation>();
  for (const l of raw.location) {
    const id = Number(l.id);
    const address = Number(l.address ?? 0);
    const lines = l.line.map((ln) => {
      const func = functions.get(Number(ln.functionId));
      if (!func) throw fail(`location ${id} names missing function ${Number(ln.functionId)}`);
      return { func, line: Number(ln.line ?? 0) };
    });
    locations.set(id, { id, address, lines });
  }
  const samples = raw.sample.map((s, i) => {
    if (s.value.length !== sampleTypes.length) throw fail(`sample ${i} has ${s.value.length} values for ${sampleTypes.length} types`);
    const locs = s.locationId.map((lid) => {
      const loc = locations.get(Number(lid));
      if (!loc) throw fail(`sample ${i} names missing location ${Number(lid)}`);
      return loc;
    });
    const labels: Record<string, string | number> = {};
    for (const label of s.label ?? []) {
      const key = str(label.key);
      labels[key] = Number(label.str ?? 0) !== 0 ? str(label.str) : Number(label.num ?? 0);
    }
    return { locations: locs, values: s.value.map(int64), labels };
  });

  const defaultType = str(raw.defaultSampleType);
  const found = defaultType ? sampleTypes.findIndex((t) => t.type === defaultType) : -1;
  return {
    sampleTypes,
    defaultSampleIndex: found >= 0 ? found : sampleTypes.length - 1,
    samples,
    periodType: raw.periodType ? { type: str(raw.periodType.type), unit: str(raw.periodType.unit) } : undefined,
    period: Number(raw.period ?? 0),
    timeNanos: Number(raw.timeNanos ?? 0),
    durationNanos: Number(raw.durationNanos ?? 0),
  };
}

/** Sum of |value| over all samples: pprof's total, the base of every percentage. */
export function profileTotal(profile: DecodedProfile, sampleIndex = profile.defaultSampleIndex): number {
  let total = 0;
  for (const s of profile.samples) total += Math.abs(s.values[sampleIndex] ?? 0);
  return total;
}

/** The function a location's sample is charged to as flat: its innermost inlined line. */
function locationName(loc: ProfileLocation, line?: ProfileLine): string {
  const l = line ?? loc.lines[0];
  // Unsymbolised locations have no lines; pprof shows them by address.
  return l ? l.func.name : `0x${loc.address.toString(16)}`;
}

/**
 * Per-function flat and cum with `go tool pprof -top` semantics (granularity=functions):
 * flat goes to the leaf location's line[0] function; cum counts every function on the
 * stack (inlined ones included) once per sample. Sorted like pprof: |flat| desc, then
 * name, then |cum| desc. Samples whose value is 0 are ignored.
 */
export function topFunctions(profile: DecodedProfile, sampleIndex = profile.defaultSampleIndex): TopFunctionRow[] {
  const rows = new Map<string, TopFunctionRow>();
  const row = (name: string, fn?: ProfileFunction) => {
    let r = rows.get(name);
    if (!r) {
      r = { func: name, flat: 0, cum: 0, flatPct: 0, cumPct: 0, file: fn?.filename ?? '', startLine: fn?.startLine ?? 0 };
      rows.set(name, r);
    }
    return r;
  };
  for (const sample of profile.samples) {
    const v = sample.values[sampleIndex] ?? 0;
    if (v === 0) continue;
    const leaf = sample.locations[0];
    if (leaf) row(locationName(leaf), leaf.lines[0]?.func).flat += v;
    const seen = new Set<string>();
    for (const loc of sample.locations) {
      const lines = loc.lines.length > 0 ? loc.lines : [undefined];
      for (const line of lines) {
        const name = locationName(loc, line);
        if (seen.has(name)) continue; // recursion: count the function once per sample
        seen.add(name);
        row(name, line?.func).cum += v;
      }
    }
  }
  const total = profileTotal(profile, sampleIndex);
  const pct = (n: number) => (total === 0 ? 0 : (Math.abs(n) / total) * 100);
  return [...rows.values()]
    .map((r) => ({ ...r, flatPct: pct(r.flat), cumPct: pct(r.cum) }))
    .sort(
      (a, b) =>
        Math.abs(b.flat) - Math.abs(a.flat) || (a.func < b.func ? -1 : a.func > b.func ? 1 : 0) || Math.abs(b.cum) - Math.abs(a.cum),
    );
}

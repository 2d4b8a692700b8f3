/**
 * Checks that what a pprof endpoint sent is the kind of data that was asked for, and
 * notices profiles that are empty because the service never turned them on.
 */
import { open, readFile, stat } from 'node:fs/promises';
import { promisify } from 'node:util';
import { gunzip } from 'node:zlib';
import { Profile } from 'pprof-format';
import type { PprofFormat } from '../core/pprof-endpoints.js';

export type PprofValidation = { ok: true; problems: string[] } | { ok: false; reason: string };

export interface PprofExpectation {
  profile: string;
  format: PprofFormat;
  /** Content-Type of the response, when there was one. */
  contentType?: string;
}

const gunzipAsync = promisify(gunzip);
/** Proto profiles are small (KB to tens of MB); above this the decode is skipped, not risked. */
const MAX_PROTO_DECODE_BYTES = 256 * 1024 * 1024;
const SNIFF_BYTES = 64 * 1024;

export const MUTEX_PROBLEM =
  'mutex profile is empty: Go records no lock contention unless the service calls runtime.SetMutexProfileFraction(n) (off by default; e.g. 5 samples 1 in 5 events)';
export const BLOCK_PROBLEM =
  'block profile is empty: Go records no blocking events unless the service calls runtime.SetBlockProfileRate(n) (off by default; e.g. 1e6 samples one event per ms blocked)';

/** Validates the file at `path` against the expectation; never throws for bad content. */
export async function validatePprofFile(path: string, expect: PprofExpectation): Promise<PprofValidation> {
  const head = await readHead(path, SNIFF_BYTES);
  if (head.length === 0) return { ok: false, reason: 'the response body is empty' };
  if (looksLikeHtml(head, expect.contentType)) {
    return { ok: false, reason: 'it returned an HTML page, not a profile (a login page, a proxy or a dashboard answering on this path?)' };
  }
  switch (expect.format) {
    case 'trace':
      return validateTrace(head);
    case 'goroutines-text':
    case 'pprof-text':
      return validateText(head.toString('utf8'), expect.profile, expect.format);
    case 'pprof-proto':
      return validateProto(path, head, expect.profile);
  }
}

function looksLikeHtml(head: Buffer, contentType?: string): boolean {
  if (contentType && /^\s*text\/html/i.test(contentType)) return true;
  const start = head.subarray(0, 512).toString('utf8').trimStart().toLowerCase();
  return start.startsWith('<!doctype html') || start.startsWith('<html') || /^<(head|body|meta|title)[\s>]/.test(start);
}

/** Go writes `go 1.NN trace\0\0\0` as the first 16 bytes (internal/trace/version). */
function validateTrace(head: Buffer): PprofValidation {
  if (/^go 1\.\d+ trace\0/.test(head.subarray(0, 16).toString('latin1'))) return { ok: true, problems: [] };
  return { ok: false, reason: `it is not a Go execution trace (expected a "go 1.N trace" header, got ${printable(head)})` };
}

/** Header lines of the legacy text formats, per profile (runtime/pprof writeProfile / printCountProfile). */
function validateText(text: string, profile: string, format: PprofFormat): PprofValidation {
  const problems: string[] = [];
  let ok: boolean;
  if (format === 'goroutines-text') {
    // debug=1: grouped counts; debug=2: panic-style, starting at the first goroutine header.
    ok = /^\w+ profile: total \d+\n/.test(text) || /^goroutine \d+ (?:gp=\S+ m=\S+ (?:mp=\S+ )?)?\[/.test(text);
  } else if (profile === 'mutex') {
    ok = text.startsWith('--- mutex:\n');
    if (ok && /^sampling period=0$/m.test(text)) problems.push(MUTEX_PROBLEM);
  } else if (profile === 'block') {
    ok = text.startsWith('--- contention:\n');
    if (ok && !hasTextRecords(text)) problems.push(BLOCK_PROBLEM);
  } else if (profile === 'heap' || profile === 'allocs') {
    ok = /^heap profile: \d+: \d+ \[\d+: \d+\] @ /.test(text);
  } else {
    ok = /^[\w.-]+ profile: total \d+\n/.test(text) || text.startsWith('--- ');
  }
  if (!ok) return { ok: false, reason: `it is not ${profile} profile text (starts with ${printable(Buffer.from(text))})` };
  return { ok: true, problems };
}

/** A record line is `<n> <n> @ 0x…` in the contention formats. */
function hasTextRecords(text: string): boolean {
  return /^\d+ \d+ @/m.test(text);
}

async function validateProto(path: string, head: Buffer, profile: string): Promise<PprofValidation> {
  // Go always gzips profile.proto on the wire (runtime/pprof profileBuilder uses gzip.Writer).
  if (head[0] !== 0x1f || head[1] !== 0x8b) {
    return { ok: false, reason: `it is not a gzip-compressed profile (starts with ${printable(head)})` };
  }
  const size = (await stat(path)).size;
  if (size > MAX_PROTO_DECODE_BYTES) {
    return { ok: true, problems: [`profile is ${size} bytes: too large to check here, not decoded`] };
  }
  let raw: Buffer;
  try {
    raw = await gunzipAsync(await readFile(path));
  } catch (error) {
    return { ok: false, reason: `it is a truncated or corrupt gzip stream (${(error as Error).message})` };
  }
  let decoded: Profile;
  try {
    // pprof-format decodes un-gzipped bytes and throws on wire-type errors.
    decoded = Profile.decode(raw);
  } catch (error) {
    return { ok: false, reason: `it is gzip but not a profile.proto (${(error as Error).message})` };
  }
  // profile.proto requires string_table[0] == "", and every Go profile has a sample type.
  if (decoded.stringTable.strings[0] !== '' || decoded.sampleType.length === 0) {
    return { ok: false, reason: 'it is gzip but not a profile.proto (no string table or sample types)' };
  }
  const problems: string[] = [];
  if (decoded.sample.length === 0) {
    if (profile === 'mutex') problems.push(MUTEX_PROBLEM);
    else if (profile === 'block') problems.push(BLOCK_PROBLEM);
    else if (profile === 'profile') problems.push('CPU profile has no samples: the process used no CPU during the capture window');
  }
  return { ok: true, problems };
}

async function readHead(path: string, limit: number): Promise<Buffer> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(limit);
    const { bytesRead } = await file.read(buffer, 0, limit, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

/** The first bytes, quoted, with control characters escaped: for error messages. */
function printable(head: Buffer): string {
  return JSON.stringify(head.subarray(0, 40).toString('latin1'));
}

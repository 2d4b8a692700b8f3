/**
 * Recognises what a file holds — by content, never by name — so `gotriage analyze FILE`
 * can hand it to the right parser: a pprof profile (and which kind), a goroutine dump or
 * traceback, race detector output, escape analysis, benchmark output, an execution trace
 * or a log. Only the first bytes are read (HEAD_BYTES), except for profiles, whose tables
 * (not their samples' objects) are read to learn their sample types (detect-profile.ts).
 */
import { open } from 'node:fs/promises';
import { createReadStream } from 'node:fs';
import { detectLogFormat } from './logs/detect-log-format.js';
import { ToolError, UsageError } from '../core/errors.js';
import { MediaType } from '../core/model.js';
import type { PprofKind } from '../core/pprof-endpoints.js';
import { redactSecrets } from '../core/redact.js';
import type { ProfileOutline } from './detect-profile.js';
import type { DecodedProfile } from './profile.js';

/** What a file was recognised as. */
export type InputKind = 'profile' | 'goroutines' | 'traceback' | 'race' | 'escape' | 'bench' | 'trace' | 'log';

/** pprof profile kinds (core/pprof-endpoints.ts; a trace is not a profile); `delay` is `go tool trace -pprof` output. */
export type ProfileKind = Exclude<PprofKind, 'trace'> | 'delay';

export interface Detection {
  kind: InputKind;
  /** For people: `cpu profile`, `goroutine dump (debug=2)`, `Go 1.26 execution trace` … */
  description: string;
  /** Media types (src/model.ts) the file is analysed as; a traceback is read as a dump and as a log. */
  mediaTypes: string[];
  profileKind?: ProfileKind;
  /**
   * The decoded profile, when a caller decoded it. detectInput leaves it unset: it
   * recognises profiles from their tables only, the analyzers decode what they need.
   */
  profile?: DecodedProfile;
  /**
   * A profile's decompressed profile.proto, kept only when asked for ({@link DetectOptions}):
   * `analyze --top` reads its table from these bytes instead of decompressing the file again.
   */
  proto?: Buffer;
}

export interface DetectOptions {
  /** Keep a profile's decompressed bytes in {@link Detection.proto} (they can be hundreds of MB). */
  keepProto?: boolean;
}

/** Escape-analysis output has no media type in src/model.ts yet; this is the one it is analysed as. */
export const ESCAPE_MEDIA_TYPE = 'text/x-go-escape';

/** Bytes read to recognise a text or binary file. Enough for a preamble of build lines. */
export const HEAD_BYTES = 256 * 1024;

/** What `analyze` accepts, for the message when a file is not one of them. */
export const ACCEPTED =
  'gotriage analyze accepts: a pprof profile (gzip or raw profile.proto: cpu, heap, allocs, goroutine, mutex, block, threadcreate), ' +
  'a goroutine dump (debug=1 or debug=2) or panic/fatal/SIGQUIT traceback, race detector output, `go build -gcflags=-m` output, ' +
  '`go test -bench` output, a Go execution trace, or a log (log/slog, zap, zerolog, log)';

// runtime/trace writes `go 1.NN trace` padded with NUL to 16 bytes (internal/trace/version).
const TRACE_HEADER = /^go 1\.(\d+) trace\0/;
const DEBUG1_TOTAL = /^(goroutine|goroutineleak) profile: total \d+$/;
const GOROUTINE_HEADER = /^goroutine \d+(?: gp=\S+ m=\S+(?: mp=\S+)?)? \[.*\]:$/;
// The first line of a crash: runtime/panic.go printpanics / fatal, runtime/signal_unix.go sighandler.
const CRASH_START = /^(panic: |fatal error: |SIGQUIT: quit|SIG[A-Z]+: |unexpected fault address|runtime: )/;
const RACE_HEADER = 'WARNING: DATA RACE';
// cmd/compile -m messages (go-tools.md §2): `path.go:line:col: message`.
const ESCAPE_LINE =
  /^\S+\.go:\d+:\d+: (?:can inline |cannot inline |inlining call to |moved to heap: |leaking param|.+ escapes to heap|.+ does not escape)/;
// testing.B result line: name, iterations, ns/op (testing/benchmark.go BenchmarkResult.String).
const BENCH_LINE = /^Benchmark\S*\s+\d+\s+[\d.]+ ns\/op/;
const HTML_START = /^\s*(?:<!doctype html|<html|<head|<body|<\?xml)/i;

/**
 * Recognises `path`. Throws UsageError (exit 2) when the content is none of ACCEPTED —
 * the message says what it looked like — and ToolError (exit 1) when it is recognisably a
 * profile but broken (half a gzip, a truncated proto).
 */
export async function detectInput(path: string, shownName = path, options: DetectOptions = {}): Promise<Detection> {
  const head = await readHead(path);
  if (head.length === 0) throw unrecognised(shownName, 'an empty file');
  const trace = TRACE_HEADER.exec(head.subarray(0, 16).toString('latin1'));
  if (trace) {
    return { kind: 'trace', description: `Go 1.${trace[1]} execution trace`, mediaTypes: [MediaType.trace] };
  }
  if (head[0] === 0x1f && head[1] === 0x8b) return detectGzip(path, shownName, options);
  if (looksBinary(head)) {
    // A raw profile.proto has no magic number (Go starts with time_nanos or sample_type
    // depending on the profile), so decoding is the test; executables are not tried.
    if (isElf(head)) throw unrecognised(shownName, describeBinary(head));
    return detectProfile(path, shownName, 'raw profile.proto', () => unrecognised(shownName, describeBinary(head)), options);
  }
  return detectText(head.toString('utf8'), shownName);
}

async function readHead(path: string, bytes = HEAD_BYTES): Promise<Buffer> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const { bytesRead } = await handle.read(buffer, 0, bytes, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/**
 * gzip: look at the first decompressed bytes. Binary → a profile (Go serves and writes
 * profiles gzipped); text → say to decompress it first. A gzip that breaks later
 * (half a download) is found by the full decode and reported as broken.
 */
async function detectGzip(path: string, shownName: string, options: DetectOptions): Promise<Detection> {
  let inner: Buffer;
  try {
    inner = await gunzipHead(path, 4096);
  } catch (err) {
    throw broken(shownName, `gzip data that cannot be decompressed (${(err as Error).message})`);
  }
  if (inner.length > 0 && !looksBinary(inner)) {
    throw unrecognised(shownName, 'gzip-compressed text', `decompress it first: gunzip -c ${shownName} | gotriage analyze -`);
  }
  return detectProfile(path, shownName, 'gzip profile.proto', () => broken(shownName, 'a gzip profile that does not decode'), options);
}

/** The first `bytes` of the decompressed stream; a stream that ends early but gave bytes is fine here. */
async function gunzipHead(path: string, bytes: number): Promise<Buffer> {
  const { createGunzip } = await import('node:zlib');
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const source = createReadStream(path, { highWaterMark: 16 * 1024 });
    const gunzip = createGunzip();
    const finish = () => {
      source.destroy();
      gunzip.destroy();
      resolve(Buffer.concat(chunks).subarray(0, bytes));
    };
    gunzip.on('data', (chunk: Buffer) => {
      chunks.push(chunk);
      size += chunk.length;
      if (size >= bytes) finish();
    });
    gunzip.on('end', finish);
    gunzip.on('error', (err) => (size > 0 ? finish() : reject(err)));
    source.on('error', reject);
    source.pipe(gunzip);
  });
}

async function detectProfile(
  path: string,
  shownName: string,
  form: string,
  onFailure: () => Error,
  options: DetectOptions,
): Promise<Detection> {
  let outline: ProfileOutline;
  try {
    // Imported here: text inputs (most of what is pasted from a chat) never need the decoder.
    const { readProfileOutline } = await import('./detect-profile.js');
    outline = await readProfileOutline(path);
  } catch (err) {
    const failure = onFailure();
    failure.message += `: ${(err as Error).message}`;
    throw failure;
  }
  const profileKind = kindOfOutline(outline);
  const types = outline.sampleTypes.map((t) => t.type).join(', ');
  if (!profileKind) throw unrecognised(shownName, `a profile with sample types pprof does not name (${types})`);
  const mediaKind = profileKind === 'cpu' ? 'profile' : profileKind;
  return {
    kind: 'profile',
    description: `${profileKind === 'delay' ? 'go tool trace -pprof delay' : profileKind} profile (${form}; ${outline.sampleCount} samples of ${types})`,
    mediaTypes: [MediaType.pprof(mediaKind)],
    profileKind,
    ...(options.keepProto ? { proto: outline.proto } : {}),
  };
}

/**
 * The profile kind from its sample types (runtime/pprof): cpu `samples,cpu`; heap and
 * allocs share `alloc_objects,alloc_space,inuse_objects,inuse_space` and differ only in
 * default_sample_type (allocs sets alloc_space); mutex and block share
 * `contentions,delay` — a mutex profile's leaf frames are Unlock calls (the runtime
 * charges the delay to the unlocker), a block profile's are the blocking calls; `go tool
 * trace -pprof` writes `contentions,delay` with period type `trace`. Undefined for other types.
 */
export function profileKindOf(profile: DecodedProfile): ProfileKind | undefined {
  return kindOfOutline({
    sampleTypes: profile.sampleTypes,
    defaultSampleIndex: profile.defaultSampleIndex,
    periodType: profile.periodType?.type,
    sampleCount: profile.samples.length,
    leafNames: () => profile.samples.map((s) => s.locations[0]?.lines[0]?.func.name ?? ''),
  });
}

function kindOfOutline(profile: Omit<ProfileOutline, 'proto'>): ProfileKind | undefined {
  const types = profile.sampleTypes.map((t) => t.type);
  const has = (t: string) => types.includes(t);
  if (has('cpu')) return 'cpu';
  if (has('inuse_space') || has('alloc_space')) {
    return profile.sampleTypes[profile.defaultSampleIndex]?.type === 'alloc_space' ? 'allocs' : 'heap';
  }
  if (has('delay') && has('contentions')) {
    if (profile.periodType === 'trace') return 'delay';
    return profile.leafNames().some((name) => /Unlock$|^runtime\.unlock$|LostContendedRuntimeLock/.test(name)) ? 'mutex' : 'block';
  }
  for (const kind of ['goroutineleak', 'goroutine', 'threadcreate'] as const) if (has(kind)) return kind;
  return undefined;
}

function detectText(text: string, shownName: string): Detection {
  // The head may end inside a line: drop the partial last line unless it is the whole file.
  const cut = text.length >= HEAD_BYTES ? text.lastIndexOf('\n') : text.length;
  const lines = text
    .slice(0, cut > 0 ? cut : text.length)
    .split('\n')
    .map((l) => l.replace(/\r$/, ''));
  const first = lines.find((l) => l.trim() !== '') ?? '';
  if (DEBUG1_TOTAL.test(first)) {
    return { kind: 'goroutines', description: 'goroutine dump (debug=1)', mediaTypes: [MediaType.goroutines('1')] };
  }
  if (lines.includes(RACE_HEADER)) return { kind: 'race', description: 'race detector output', mediaTypes: [MediaType.race] };
  if (CRASH_START.test(first)) return tracebackDetection(first);
  if (GOROUTINE_HEADER.test(first)) {
    return { kind: 'goroutines', description: 'goroutine dump (debug=2)', mediaTypes: [MediaType.goroutines('2')] };
  }
  if (lines.some((l) => ESCAPE_LINE.test(l))) {
    return { kind: 'escape', description: 'escape analysis output (go build -gcflags=-m)', mediaTypes: [ESCAPE_MEDIA_TYPE] };
  }
  if (lines.some((l) => BENCH_LINE.test(l)))
    return { kind: 'bench', description: 'go test -bench output', mediaTypes: [MediaType.goBench] };
  if (HTML_START.test(text)) {
    throw unrecognised(shownName, 'an HTML page (a login or error page saved instead of a profile?)');
  }
  const format = detectLogFormat(lines);
  if (format !== 'plain') return { kind: 'log', description: `log (${format})`, mediaTypes: [MediaType.log(format)] };
  // Output that carries a traceback after other lines (a crashed program's stderr).
  const crash = lines.find((l) => CRASH_START.test(l));
  if (crash && lines.some((l) => GOROUTINE_HEADER.test(l))) return tracebackDetection(crash);
  if (lines.some((l) => GOROUTINE_HEADER.test(l))) {
    return { kind: 'goroutines', description: 'goroutine dump (debug=2)', mediaTypes: [MediaType.goroutines('2')] };
  }
  const shown = first.length > 60 ? `${first.slice(0, 60)}…` : first;
  throw unrecognised(shownName, `text starting with ${JSON.stringify(shown)}`);
}

/**
 * A panic, fatal error or SIGQUIT dump: its goroutines are grouped like a debug=2 dump,
 * and the log analyzer turns the `panic:` / `fatal error:` block into a `panic` finding.
 */
function tracebackDetection(firstCrashLine: string): Detection {
  const what = firstCrashLine.startsWith('SIGQUIT')
    ? 'SIGQUIT goroutine dump'
    : firstCrashLine.startsWith('fatal error')
      ? 'fatal error traceback'
      : 'panic traceback';
  return { kind: 'traceback', description: what, mediaTypes: [MediaType.goroutines('2'), MediaType.log('plain')] };
}

/** Text is valid UTF-8 without NUL or many control bytes; profiles and executables fail this early. */
function looksBinary(bytes: Buffer): boolean {
  const sample = bytes.subarray(0, 4096);
  let control = 0;
  for (const b of sample) {
    if (b === 0) return true;
    if (b < 0x09 || (b > 0x0d && b < 0x20)) control++;
  }
  if (control > sample.length / 100) return true;
  // Cut at a possible partial UTF-8 sequence at the end before checking validity.
  return !isUtf8(sample.subarray(0, Math.max(0, sample.length - 4)));
}

function isUtf8(bytes: Buffer): boolean {
  return !new TextDecoder('utf-8', { fatal: false }).decode(bytes).includes('\uFFFD');
}

function describeBinary(head: Buffer): string {
  const hex = [...head.subarray(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join(' ');
  if (isElf(head)) return 'an executable (ELF)';
  return `binary data (first bytes ${hex})`;
}

function isElf(head: Buffer): boolean {
  return head.subarray(0, 4).toString('latin1') === '\x7fELF';
}

function unrecognised(shownName: string, lookedLike: string, hint = ACCEPTED): UsageError {
  return new UsageError(redactSecrets(`${shownName}: not something gotriage can analyze: it looks like ${lookedLike}`), hint);
}

function broken(shownName: string, what: string): ToolError {
  return new ToolError(
    redactSecrets(`${shownName}: recognised but broken: ${what}`),
    [],
    null,
    null,
    undefined,
    'the file is incomplete or corrupt: capture it again (a download cut short leaves half a gzip)',
  );
}

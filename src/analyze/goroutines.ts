/**
 * Streaming parser for Go goroutine dumps: `/debug/pprof/goroutine?debug=2`, panic and
 * fatal-error tracebacks, SIGQUIT dumps (with `gp=`/`fp=` annotations), the grouped
 * `?debug=1` format and the goroutineleak profile (Go 1.26 experiment, 1.27) in both.
 * The file is read in fixed-size chunks and scanned as bytes (read-lines.ts forEachChunk);
 * goroutines are bucketed as they are read, so memory grows with the number of distinct
 * stacks, never with the number of goroutines or the file size.
 */
import { ToolError } from '../core/errors.js';
import { Debug2Grouper } from './goroutines-debug2.js';
import { WasmMatcher } from './goroutines-wasm.js';
import { parseTracebackCause } from './goroutines-preamble.js';
import { goroutineGroupKey, findTopUserFrame, type GoroutineDump, type GoroutineFrame, type GoroutineGroup } from './goroutines-types.js';
import { DEFAULT_CHUNK_SIZE, forEachChunk, nextLineEnd } from './read-lines.js';

export type { GoroutineDump, GoroutineFrame, GoroutineGroup } from './goroutines-types.js';
export { formatFrame, findTopUserFrame, goroutineGroupKey } from './goroutines-types.js';
export { parseStatus, type GoroutineStatus } from './goroutines-status.js';
export type { TracebackCause } from './goroutines-preamble.js';

const MAX_PREAMBLE_LINES = 50;
const MAX_PREAMBLE_LINE = 1000;

// `goroutine profile: total 13`, `goroutineleak profile: total 5` (runtime/pprof printCountProfile).
const DEBUG1_TOTAL = /^(\w+) profile: total (\d+)$/;
const DEBUG1_GROUP = /^(\d+) @( 0x[0-9a-f]+)+$/;
// Tabs after the function are padded for alignment, hence `\t+`.
const DEBUG1_FRAME = /^#\t0x[0-9a-f]+\t(.+?)(?:\+0x[0-9a-f]+)?\t+(.+):(\d+)$/;
const DEBUG1_LABELS = /^# labels: (\{.*\})$/;
const HASH = 0x23;
const CARRIAGE_RETURN = 0x0d;
const DIGIT_0 = 0x30;
const DIGIT_9 = 0x39;

interface Debug1Group {
  count: number;
  frames: GoroutineFrame[];
  labels?: string;
}

/** How a dump is read; the defaults are what every caller wants, the rest is for tests. */
export interface ParseGoroutineOptions {
  /** Bytes read at a time (read-lines.ts forEachChunk). */
  chunkSize?: number;
  /** false: every goroutine takes the general path (no template matching, goroutines-template.ts). */
  fastPath?: boolean;
}

/**
 * Parses a goroutine dump or traceback file. Throws ToolError when the file holds no
 * goroutine at all (an HTML page, a profile proto).
 */
export async function parseGoroutineDump(path: string, options: ParseGoroutineOptions = {}): Promise<GoroutineDump> {
  const chunkSize = options.chunkSize ?? DEFAULT_CHUNK_SIZE;
  // The dump is read straight into the matcher's memory, so the fast path copies nothing.
  const matcher = options.fastPath === false ? undefined : WasmMatcher.create(chunkSize);
  const debug2 = new Debug2Grouper(matcher);
  const debug1 = new Map<string, GoroutineGroup>();
  const preamble: string[] = [];
  let format: GoroutineDump['format'] | undefined;
  let profile: GoroutineDump['profile'] = 'goroutine';
  let headerTotal: number | undefined;
  let debug1Read = 0;
  let d1: Debug1Group | undefined;

  const endDebug1Group = () => {
    if (d1) addDebug1Group(debug1, d1, profile === 'goroutineleak');
    d1 = undefined;
  };

  const visitLine = (buf: Buffer, start: number, end: number): void => {
    if (start === end) {
      debug2.end();
      endDebug1Group();
      return;
    }
    if (format !== 'debug1' && debug2.header(buf, start, end)) {
      format = 'debug2';
      return;
    }
    if (format === 'debug2') return debug2.line(buf, start, end);
    const first = buf[start]!;
    if (format === 'debug1') {
      // Only grouped headers and `#` lines matter here; both are few (one per group).
      if (first === HASH && d1) readDebug1Comment(d1, buf.toString('utf8', start, end));
      else if (first >= DIGIT_0 && first <= DIGIT_9) {
        const group = DEBUG1_GROUP.exec(buf.toString('latin1', start, end));
        if (group) {
          endDebug1Group();
          d1 = { count: Number(group[1]), frames: [] };
          debug1Read += d1.count;
        }
      }
      return;
    }
    const line = buf.toString('utf8', start, Math.min(end, start + MAX_PREAMBLE_LINE));
    const total = DEBUG1_TOTAL.exec(line);
    if (total) {
      format = 'debug1';
      profile = total[1] === 'goroutineleak' ? 'goroutineleak' : 'goroutine';
      headerTotal = Number(total[2]);
    } else if (preamble.length < MAX_PREAMBLE_LINES) {
      preamble.push(line);
    }
  };

  await forEachChunk(
    path,
    (buf, start, end) => {
      let at = start;
      // Line by line until the format is known; a debug=2 dump's lines are then scanned by
      // the grouper in one loop (most of a large file).
      while (at < end && format !== 'debug2') {
        const nl = nextLineEnd(buf, at, end);
        visitLine(buf, at, nl > at && buf[nl - 1] === CARRIAGE_RETURN ? nl - 1 : nl);
        at = nl + 1;
      }
      if (at < end) debug2.scan(buf, at, end);
    },
    { chunkSize, buffer: matcher?.chunk },
  );
  debug2.end();
  endDebug1Group();

  if (format === undefined) {
    throw new ToolError(
      `no goroutine found in ${path}: it is not a Go goroutine dump or traceback`,
      [],
      null,
      null,
      path,
      "check that the artifact came from /debug/pprof/goroutine?debug=1|2 (or goroutineleak) or a crash's stderr",
    );
  }
  const groups = format === 'debug1' ? [...debug1.values()] : debug2.groups;
  // Array.prototype.sort is stable (ES2019): ties keep the order of first appearance.
  groups.sort((a, b) => b.count - a.count);
  return {
    format,
    profile,
    total: format === 'debug1' ? (headerTotal ?? debug1Read) : debug2.total,
    leakedTotal: groups.reduce((n, g) => n + (g.leaked ? g.count : 0), 0),
    groups,
    preamble,
    cause: parseTracebackCause(preamble),
  };
}

/** `#\t0x…\tfunc+0x…\t\tfile:line` adds a frame; `# labels: {…}` names the group's labels. */
function readDebug1Comment(group: Debug1Group, line: string): void {
  const frame = DEBUG1_FRAME.exec(line);
  if (frame) {
    group.frames.push({ func: frame[1] ?? '', file: frame[2] ?? '', line: Number(frame[3]) });
    return;
  }
  const labels = DEBUG1_LABELS.exec(line);
  if (labels) group.labels = labels[1];
}

/**
 * debug=1 already groups by call-site PCs; groups that differ only in labels (or in PCs
 * that map to the same lines) are merged here so keys match the debug=2 ones' shape.
 * A goroutineleak profile lists only leaked goroutines, so all of its groups are leaked.
 */
function addDebug1Group(groups: Map<string, GoroutineGroup>, g: Debug1Group, leaked: boolean): void {
  const key = goroutineGroupKey(leaked ? ' (leaked)' : '', g.frames);
  const existing = groups.get(key);
  if (existing) {
    existing.count += g.count;
    if (g.labels !== undefined && !existing.labels.includes(g.labels) && existing.labels.length < 5) existing.labels.push(g.labels);
    return;
  }
  groups.set(key, {
    key,
    count: g.count,
    state: '',
    leaked,
    lockedToThread: false,
    labels: g.labels !== undefined ? [g.labels] : [],
    minWaitMinutes: 0,
    maxWaitMinutes: 0,
    frames: g.frames,
    topUserFrame: findTopUserFrame(g.frames),
  });
}

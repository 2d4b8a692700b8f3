/**
 * Streaming parser for Go goroutine dumps: `/debug/pprof/goroutine?debug=2`, panic and
 * fatal-error tracebacks, SIGQUIT dumps (with `gp=`/`fp=` annotations) and the grouped
 * `?debug=1` format. Goroutines are bucketed as they are read, so memory grows with the
 * number of distinct stacks, never with the number of goroutines or the file size.
 */
import { ToolError } from '../errors.js';
import { isUserFunction } from '../model.js';
import { readLines } from './read-lines.js';

/** One stack frame, arguments dropped. */
export interface GoroutineFrame {
  func: string;
  file: string;
  line: number;
}

/** Goroutines with the same state and the same stack (panicparse `-aggressive` buckets). */
export interface GoroutineGroup {
  /** State + frames + creation site: equal keys across samples mean the same group. */
  key: string;
  count: number;
  /** Wait reason without `, N minutes`, labels or `locked to thread`; `""` for debug=1. */
  state: string;
  /** Smallest and largest `N minutes`; 0 for goroutines the runtime printed no duration for. */
  minWaitMinutes: number;
  maxWaitMinutes: number;
  /** Innermost first, as the runtime prints them. */
  frames: GoroutineFrame[];
  /** Where the goroutines were started (`created by X in goroutine N` + its location). */
  createdBy?: GoroutineFrame;
  /** First frame from the top of the stack that belongs to the service (isUserFunction). */
  topUserFrame?: GoroutineFrame;
  /** Lowest goroutine id seen in the group (debug=2), to find it in the raw dump. */
  firstId?: number;
}

export interface GoroutineDump {
  format: 'debug1' | 'debug2';
  /** Goroutines in the dump: the `total` header for debug=1, goroutines read for debug=2. */
  total: number;
  /** Largest first; ties keep the order of first appearance. */
  groups: GoroutineGroup[];
  /** Text before the first goroutine: `panic: …`, `fatal error: …`, `SIGQUIT: quit` (capped). */
  preamble: string[];
}

const MAX_PREAMBLE_LINES = 50;
const MAX_PREAMBLE_LINE = 1000;

// runtime/traceback.go goroutineheader; `gp= m= mp=` only at traceback level >= 2 (crash, SIGQUIT).
const DEBUG2_HEADER = /^goroutine (\d+)(?: gp=\S+ m=\S+(?: mp=\S+)?)? \[(.*)\]:$/;
// A function line: the name may itself contain parens (`main.(*T).m`), so take the last `(`.
const FUNC_LINE = /^(\S.*)\((.*)\)$/;
// Inlined frames have no `+0x` offset; SIGQUIT/crash dumps append ` fp=… sp=… pc=…`.
const FILE_LINE = /^\t(.+?):(\d+)(?: \+0x[0-9a-f]+)?(?: fp=.*)?$/;
// `in goroutine N` appears since Go 1.21.
const CREATED_BY = /^created by (\S+)(?: in goroutine (\d+))?$/;
const DEBUG1_TOTAL = /^(\w+) profile: total (\d+)$/;
const DEBUG1_GROUP = /^(\d+) @( 0x[0-9a-f]+)+$/;
// Tabs after the function are padded for alignment, hence `\t+`.
const DEBUG1_FRAME = /^#\t0x[0-9a-f]+\t(.+?)(?:\+0x[0-9a-f]+)?\t+(.+):(\d+)$/;
const MINUTES = /^(\d+) minutes$/;

interface Current {
  id: number;
  count: number;
  state: string;
  minutes: number;
  frames: GoroutineFrame[];
  createdBy?: GoroutineFrame;
}

type Mode = 'outside' | 'frames' | 'created' | 'ancestors';

/**
 * Parses a goroutine dump or traceback file line by line (fixed-size reads).
 * Throws ToolError when the file holds no goroutine at all (an HTML page, a profile proto).
 */
export async function parseGoroutineDump(path: string): Promise<GoroutineDump> {
  const groups = new Map<string, GoroutineGroup>();
  const preamble: string[] = [];
  let format: GoroutineDump['format'] | undefined;
  let headerTotal: number | undefined;
  let readTotal = 0;
  let cur: Current | undefined;
  let mode: Mode = 'outside';
  let pendingFunc: string | undefined;
  let createdFunc: string | undefined;

  const flush = () => {
    if (cur) addToGroup(groups, cur);
    cur = undefined;
    pendingFunc = undefined;
    mode = 'outside';
  };

  for await (const line of readLines(path)) {
    const header = DEBUG2_HEADER.exec(line);
    if (header) {
      flush();
      format ??= 'debug2';
      const { state, minutes } = parseStatus(header[2] ?? '');
      cur = { id: Number(header[1]), count: 1, state, minutes, frames: [] };
      readTotal += 1;
      mode = 'frames';
      continue;
    }
    const group = DEBUG1_GROUP.exec(line);
    if (group && format !== 'debug2') {
      flush();
      format = 'debug1';
      const count = Number(group[1]);
      cur = { id: -1, count, state: '', minutes: 0, frames: [] };
      readTotal += count;
      mode = 'frames';
      continue;
    }
    if (line.trim() === '') {
      flush();
      continue;
    }
    if (!cur) {
      const total = DEBUG1_TOTAL.exec(line);
      if (total && format === undefined) {
        format = 'debug1';
        headerTotal = Number(total[2]);
      } else if (format === undefined && preamble.length < MAX_PREAMBLE_LINES) {
        preamble.push(line.slice(0, MAX_PREAMBLE_LINE));
      }
      continue;
    }
    if (format === 'debug1') {
      const frame = DEBUG1_FRAME.exec(line);
      if (frame) cur.frames.push({ func: frame[1] ?? '', file: frame[2] ?? '', line: Number(frame[3]) });
      continue; // `# labels: {…}` lines are not part of the key
    }
    if (mode === 'ancestors') continue; // GODEBUG=tracebackancestors stacks belong to other goroutines
    if (mode === 'created') {
      const loc = FILE_LINE.exec(line);
      if (loc && createdFunc) cur.createdBy = { func: createdFunc, file: loc[1] ?? '', line: Number(loc[2]) };
      mode = 'frames';
      createdFunc = undefined;
      continue;
    }
    const loc = FILE_LINE.exec(line);
    if (loc) {
      if (pendingFunc !== undefined) cur.frames.push({ func: pendingFunc, file: loc[1] ?? '', line: Number(loc[2]) });
      pendingFunc = undefined;
      continue;
    }
    const created = CREATED_BY.exec(line);
    if (created) {
      createdFunc = created[1];
      mode = 'created';
      continue;
    }
    if (line.startsWith('[originating from goroutine')) {
      mode = 'ancestors';
      continue;
    }
    const fn = FUNC_LINE.exec(line);
    // Anything else (`...N frames elided...`, the "stack unavailable" note) is skipped.
    pendingFunc = fn ? fn[1] : undefined;
  }
  flush();

  if (format === undefined) {
    throw new ToolError(
      `no goroutine found in ${path}: it is not a Go goroutine dump or traceback`,
      [],
      null,
      null,
      path,
      'check that the artifact came from /debug/pprof/goroutine?debug=1|2 or a crash\'s stderr',
    );
  }
  return {
    format,
    total: format === 'debug1' ? (headerTotal ?? readTotal) : readTotal,
    groups: [...groups.values()].sort((a, b) => b.count - a.count),
    preamble,
  };
}

/**
 * Splits the bracket of a goroutine header, e.g. `chan receive, 2 minutes, locked to thread`
 * or `select (no cases) labels:{"handler": "export"}`, into state and wait minutes.
 * Status flags such as `(leaked)` stay part of the state, as panicparse does.
 */
export function parseStatus(bracket: string): { state: string; minutes: number } {
  const labels = bracket.indexOf(' labels:{');
  const withoutLabels = labels >= 0 ? bracket.slice(0, labels) : bracket;
  const [state = '', ...rest] = withoutLabels.split(', ');
  let minutes = 0;
  for (const part of rest) {
    const m = MINUTES.exec(part.trim());
    if (m) minutes = Number(m[1]);
  }
  return { state: state.trim(), minutes };
}

/** The group key: state, every frame and the creation site; arguments and ids dropped. */
export function goroutineGroupKey(state: string, frames: readonly GoroutineFrame[], createdBy?: GoroutineFrame): string {
  const parts = [state, ...frames.map(formatFrame)];
  if (createdBy) parts.push(`created by ${formatFrame(createdBy)}`);
  return parts.join('\n');
}

/** `func file:line`, the form used in keys and in finding details. */
export function formatFrame(frame: GoroutineFrame): string {
  return `${frame.func} ${frame.file}:${frame.line}`;
}

/** The first frame, from the top of the stack, that belongs to the service. */
export function findTopUserFrame(frames: readonly GoroutineFrame[]): GoroutineFrame | undefined {
  return frames.find((f) => isUserFunction(f.func));
}

function addToGroup(groups: Map<string, GoroutineGroup>, g: Current): void {
  const key = goroutineGroupKey(g.state, g.frames, g.createdBy);
  const existing = groups.get(key);
  if (existing) {
    existing.count += g.count;
    existing.minWaitMinutes = Math.min(existing.minWaitMinutes, g.minutes);
    existing.maxWaitMinutes = Math.max(existing.maxWaitMinutes, g.minutes);
    if (g.id >= 0 && (existing.firstId === undefined || g.id < existing.firstId)) existing.firstId = g.id;
    return;
  }
  groups.set(key, {
    key,
    count: g.count,
    state: g.state,
    minWaitMinutes: g.minutes,
    maxWaitMinutes: g.minutes,
    frames: g.frames,
    createdBy: g.createdBy,
    topUserFrame: findTopUserFrame(g.frames),
    firstId: g.id >= 0 ? g.id : undefined,
  });
}

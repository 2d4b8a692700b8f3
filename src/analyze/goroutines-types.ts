/**
 * What a parsed goroutine dump is made of, and the group key shared by every format, so
 * that a group has the same key in two samples of one endpoint.
 */
import { isUserFunction } from '../core/model.js';
import type { TracebackCause } from './goroutines-preamble.js';

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
  /** Wait reason without `(leaked)`, `, N minutes`, labels or `locked to thread`; `""` for debug=1. */
  state: string;
  /** Marked `(leaked)` by the goroutineleak detector, or read from a goroutineleak profile. */
  leaked: boolean;
  /** `, locked to thread` (runtime.LockOSThread). */
  lockedToThread: boolean;
  /** Distinct label sets seen in the group (at most 5), e.g. `{"handler": "export"}`. */
  labels: string[];
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
  /** The `in goroutine N` of that goroutine's creation site (Go 1.21+). */
  parentId?: number;
}

export interface GoroutineDump {
  format: 'debug1' | 'debug2';
  /** `goroutineleak` for the leak profile (`goroutineleak profile: total N`), else `goroutine`. */
  profile: 'goroutine' | 'goroutineleak';
  /** Goroutines in the dump: the `total` header for debug=1, goroutines read for debug=2. */
  total: number;
  /** Goroutines marked `(leaked)`, or every goroutine of a goroutineleak debug=1 profile. */
  leakedTotal: number;
  /** Largest first; ties keep the order of first appearance. */
  groups: GoroutineGroup[];
  /** Text before the first goroutine: `panic: …`, `fatal error: …`, `SIGQUIT: quit` (capped). */
  preamble: string[];
  /** Why the program printed its goroutines, read from the preamble (absent for a pprof dump). */
  cause?: TracebackCause;
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

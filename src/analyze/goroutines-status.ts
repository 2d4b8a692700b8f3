/**
 * The bracket of a goroutine header, e.g. `chan receive, 2 minutes, locked to thread` or
 * `select (no cases) labels:{"handler": "export"}`, split into what a reader groups by.
 *
 * Grammar (Go 1.26 runtime/traceback.go goroutineheader; earlier versions print a subset):
 * `<status>[ (leaked)][ (scan)][ (durable)][, <N> minutes][, locked to thread][, synctest bubble <id>][ labels:{…}]`
 * Go 1.26 prints labels inside the bracket (`labels:{"k": "v"}`, GODEBUG=tracebacklabels=1);
 * Go 1.27 prints them after it: `goroutine 10 [select (no cases), 1 minutes] {handler: export}:`
 * (captured in test/fixtures/captured/*.go1.27.3.txt).
 */

/** What the header's bracket says about one goroutine. */
export interface GoroutineStatus {
  /** The wait reason (`chan send`, `select`, `running` …) without the fields below. */
  state: string;
  /** `, N minutes`: printed only for goroutines waiting ≥ 1 minute since a GC stamped them. */
  minutes: number;
  /** ` (leaked)`: the goroutineleak detector (Go 1.26 experiment, 1.27) proved it blocked forever. */
  leaked: boolean;
  /** `, locked to thread`: the goroutine called runtime.LockOSThread. */
  lockedToThread: boolean;
  /** The JSON-ish label set, e.g. `{"handler": "export"}`; printed since Go 1.26 with GODEBUG=tracebacklabels=1. */
  labels?: string;
  /** State plus the flags that make goroutines different (leaked, locked): the group's state part. */
  stateKey: string;
}

const MINUTES = /^(\d+) minutes?$/;
const LEAKED = ' (leaked)';

/**
 * Splits a header bracket into state, wait minutes, leak and thread-lock flags and labels.
 * Labels and minutes are values, not identity: two goroutines that differ only there
 * belong to one group (panicparse `-aggressive`), hence `stateKey`.
 */
export function parseStatus(bracket: string): GoroutineStatus {
  // Labels come last and may themselves contain ", " (`{"a": "1", "b": "2"}`).
  const at = bracket.indexOf(' labels:{');
  const labels = at >= 0 ? bracket.slice(at + ' labels:'.length) : undefined;
  const [head = '', ...rest] = (at >= 0 ? bracket.slice(0, at) : bracket).split(', ');
  let state = head.trim();
  const leaked = state.includes(LEAKED);
  if (leaked) state = state.replace(LEAKED, '');
  let minutes = 0;
  let lockedToThread = false;
  for (const part of rest) {
    const m = MINUTES.exec(part.trim());
    if (m) minutes = Number(m[1]);
    else if (part.trim() === 'locked to thread') lockedToThread = true;
  }
  const stateKey = `${state}${leaked ? LEAKED : ''}${lockedToThread ? ', locked to thread' : ''}`;
  return { state, minutes, leaked, lockedToThread, labels, stateKey };
}

/**
 * The header text after `[` without the final `:` — `chan receive, 1 minutes]` or, on Go
 * 1.27, `chan receive, 1 minutes] {tenant: a}` — parsed like {@link parseStatus}.
 */
export function parseHeaderStatus(text: string): GoroutineStatus {
  if (text.endsWith(']')) return parseStatus(text.slice(0, -1));
  const close = text.indexOf('] {');
  if (close < 0) return parseStatus(text);
  const status = parseStatus(text.slice(0, close));
  return { ...status, labels: text.slice(close + 2) };
}

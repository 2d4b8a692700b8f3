/**
 * Parser for the race detector's reports, from `go test -race`, `go run -race`, a
 * race-built binary's stderr or a GORACE `log_path` file (all print the same blocks;
 * runtime/race, checked on Go 1.23 and 1.26).
 */
import { isUserFunction } from '../core/model.js';
import { readLines } from './read-lines.js';

export interface RaceFrame {
  func: string;
  file: string;
  line: number;
}

export interface RaceAccess {
  /** `read` or `write` (lower case; an `Atomic` prefix, if a runtime prints one, is kept). */
  op: string;
  /** The goroutine id, or `main` for `by main goroutine`. */
  goroutine: string;
  address: string;
  frames: RaceFrame[];
}

export interface RaceGoroutine {
  id: string;
  /** `running` or `finished`. */
  status: string;
  /** The stack of the `go` statement that started it. */
  createdAt: RaceFrame[];
}

export interface RaceReport {
  /** The access that detected the race. */
  current: RaceAccess;
  /** The earlier conflicting access (`Previous write at …`). */
  previous?: RaceAccess;
  goroutines: RaceGoroutine[];
  /** How many identical reports (same ops at the same lines) this one stands for. */
  occurrences: number;
  /** Tests whose `--- FAIL:` line followed a report of this race. */
  tests: string[];
}

export interface RaceOutput {
  /** Deduplicated reports, in order of first appearance. */
  reports: RaceReport[];
  /** `WARNING: DATA RACE` blocks read, before deduplication. */
  totalReports: number;
  /** `Found N data race(s)`: printed only when the program would have exited 0. */
  foundCount?: number;
  /** Every `--- FAIL: X` seen (races or not). */
  failedTests: string[];
  /** `testing` printed `race detected during execution of test`. */
  detectedDuringTest: boolean;
  /** `testing` printed `race detected outside of test execution`. */
  detectedOutsideTests: boolean;
}

const SEPARATOR = '=================='; // exactly 18 '='
const ACCESS = /^(Previous )?((?:Atomic )?(?:read|write)) at (0x[0-9a-f]+) by (?:goroutine (\d+)|(main) goroutine):$/i;
const CREATED = /^Goroutine (\d+) \((\w+)\) created at:$/;
const FUNC = /^ {2}(\S.*)\(\)$/;
const LOCATION = /^ {6}(.+):(\d+)(?: \+0x[0-9a-f]+)?$/;
const FOUND = /^Found (\d+) data race\(s\)$/;
const FAIL = /^\s*--- FAIL: (\S+)/;

interface Block {
  current?: RaceAccess;
  previous?: RaceAccess;
  goroutines: RaceGoroutine[];
  /** Where the next frame goes. */
  target?: RaceFrame[];
  pendingFunc?: string;
}

/** Reads a file of race detector output (any surrounding text is allowed). */
export async function parseRaceOutput(path: string): Promise<RaceOutput> {
  const byKey = new Map<string, RaceReport>();
  const awaitingTest: RaceReport[] = [];
  const out: RaceOutput = {
    reports: [],
    totalReports: 0,
    failedTests: [],
    detectedDuringTest: false,
    detectedOutsideTests: false,
  };
  let block: Block | undefined; // inside a `WARNING: DATA RACE` block
  let opened = false; // just saw an opening separator

  const close = () => {
    if (block?.current) {
      out.totalReports += 1;
      const report = recordReport(byKey, block);
      if (!awaitingTest.includes(report)) awaitingTest.push(report);
    }
    block = undefined;
  };

  for await (const line of readLines(path)) {
    if (line === SEPARATOR) {
      // One separator closes a report, the next opens the following one.
      if (block) close();
      else opened = true;
      continue;
    }
    if (opened) {
      opened = false;
      if (line === 'WARNING: DATA RACE') {
        block = { goroutines: [] };
        continue;
      }
    }
    if (block) {
      readReportLine(block, line);
      continue;
    }
    const found = FOUND.exec(line);
    if (found) out.foundCount = Number(found[1]);
    const fail = FAIL.exec(line);
    if (fail?.[1]) {
      out.failedTests.push(fail[1]);
      for (const r of awaitingTest.splice(0)) if (!r.tests.includes(fail[1])) r.tests.push(fail[1]);
    }
    if (line.includes('race detected during execution of test')) out.detectedDuringTest = true;
    if (line.includes('race detected outside of test execution')) out.detectedOutsideTests = true;
  }
  close(); // output cut short (timeout, halt) mid-report: keep what arrived
  out.reports = [...byKey.values()];
  return out;
}

function readReportLine(block: Block, line: string): void {
  const access = ACCESS.exec(line);
  if (access) {
    const acc: RaceAccess = {
      op: (access[2] ?? '').toLowerCase(),
      address: access[3] ?? '',
      goroutine: access[4] ?? access[5] ?? '',
      frames: [],
    };
    if (access[1]) block.previous = acc;
    else block.current = acc;
    block.target = acc.frames;
    return;
  }
  const created = CREATED.exec(line);
  if (created) {
    const g: RaceGoroutine = { id: created[1] ?? '', status: created[2] ?? '', createdAt: [] };
    block.goroutines.push(g);
    block.target = g.createdAt;
    return;
  }
  const fn = FUNC.exec(line);
  if (fn) {
    block.pendingFunc = fn[1];
    return;
  }
  const loc = LOCATION.exec(line);
  if (loc && block.pendingFunc !== undefined && block.target) {
    block.target.push({ func: block.pendingFunc, file: loc[1] ?? '', line: Number(loc[2]) });
    block.pendingFunc = undefined;
  }
  // `[failed to restore the stack]` and blank lines carry nothing to keep.
}

function recordReport(byKey: Map<string, RaceReport>, block: Block): RaceReport {
  const current = block.current as RaceAccess;
  const key = raceKey(current, block.previous);
  const seen = byKey.get(key);
  if (seen) {
    seen.occurrences += 1;
    return seen;
  }
  const report: RaceReport = { current, previous: block.previous, goroutines: block.goroutines, occurrences: 1, tests: [] };
  byKey.set(key, report);
  return report;
}

/**
 * Identity of a race: each access's op and top user frame file:line, addresses and
 * goroutine ids ignored. The pair is unordered: which side the detector catches first
 * (write-then-read or read-then-write) varies from run to run for the same bug.
 */
export function raceKey(current: RaceAccess, previous?: RaceAccess): string {
  const side = (a?: RaceAccess) => {
    if (!a) return '-';
    const f = topUserRaceFrame(a.frames);
    return f ? `${a.op} ${f.file}:${f.line}` : `${a.op} ?`;
  };
  return [side(current), side(previous)].sort().join(' | ');
}

/** The first user frame from the top of an access stack; the top frame when none is user code. */
export function topUserRaceFrame(frames: readonly RaceFrame[]): RaceFrame | undefined {
  return frames.find((f) => isUserFunction(f.func)) ?? frames[0];
}

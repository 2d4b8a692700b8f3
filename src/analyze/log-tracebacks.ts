/**
 * Cuts Go `panic:` / `fatal error:` tracebacks out of a stream of log lines. A crashing
 * service prints its traceback, unprefixed, on stderr — which journald, kubectl logs and
 * `2>&1` files interleave with its log lines. The traceback runs from the `panic:` line
 * through the goroutine blocks (header, function line + tab-indented file line, `created
 * by`, blank separators) and ends at the first line that cannot belong to it.
 */

/** A traceback found in a log. */
export interface LogTraceback {
  /** Its lines, from the `panic:` line on (capped at MAX_TRACEBACK_LINES). */
  lines: string[];
  /** Lines up to the end of the first goroutine block: the goroutine that panicked. */
  firstGoroutineLines: number;
  /** Goroutine headers seen (GOTRACEBACK=all prints every goroutine). */
  goroutines: number;
}

const MAX_TRACEBACK_LINES = 2000;
/** Lines allowed between `panic:` and the first goroutine header (multi-line panic values). */
const MAX_PREAMBLE_LINES = 20;

const START = /^(?:panic: |fatal error: )/;
// runtime/traceback.go goroutineheader; `gp= m=` appear at GOTRACEBACK=crash and above.
const HEADER = /^goroutine \d+(?: gp=\S+ m=\S+(?: mp=\S+)?)? \[.*\]:$/;
const FUNC_LINE = /^\S.*\(.*\)$/;
const OTHER_TRACEBACK_LINE =
  /^(?:\t|created by |\[originating from goroutine|\.\.\.\d+ frames elided\.\.\.|\.\.\.additional frames elided\.\.\.|exit status \d+$)/;

type State = 'idle' | 'preamble' | 'goroutines';

/**
 * Feed lines in order; `push` returns the lines that are NOT part of a traceback (to be
 * read as ordinary log lines) — usually the line itself or nothing, and when a traceback
 * is abandoned, the lines it had held back. Finished tracebacks are handed to `onTraceback`.
 */
export class TracebackCutter {
  private state: State = 'idle';
  private current: LogTraceback | undefined;
  private preambleLines = 0;
  private firstEnded = false;
  /** A function-looking line, held until the next line shows whether a file line follows. */
  private pendingFunc: string | undefined;

  constructor(private readonly onTraceback: (traceback: LogTraceback) => void) {}

  push(line: string): string[] {
    if (this.state === 'idle') {
      if (!START.test(line)) return [line];
      this.current = { lines: [line], firstGoroutineLines: 0, goroutines: 0 };
      this.state = 'preamble';
      this.preambleLines = 0;
      this.firstEnded = false;
      return [];
    }
    const tb = this.current!;
    if (this.state === 'preamble') {
      if (HEADER.test(line)) {
        this.state = 'goroutines';
        tb.goroutines++;
        this.add(line);
        return [];
      }
      if (++this.preambleLines > MAX_PREAMBLE_LINES) {
        // No goroutine followed: it was a log line that happened to start with "panic: ".
        const released = [...tb.lines, line];
        this.reset();
        return released.flatMap((l, i) => (i === 0 ? [l] : this.push(l)));
      }
      this.add(line);
      return [];
    }
    if (this.pendingFunc !== undefined) {
      const held = this.pendingFunc;
      this.pendingFunc = undefined;
      if (line.startsWith('\t')) {
        this.add(held);
        this.add(line);
        return [];
      }
      this.finish();
      return [held, ...this.push(line)];
    }
    if (HEADER.test(line)) {
      tb.goroutines++;
      this.add(line);
      return [];
    }
    if (line.trim() === '') {
      if (!this.firstEnded) {
        this.firstEnded = true;
        tb.firstGoroutineLines = tb.lines.length;
      }
      this.add(line);
      return [];
    }
    if (OTHER_TRACEBACK_LINE.test(line)) {
      this.add(line);
      if (line.startsWith('exit status ')) this.finish();
      return [];
    }
    if (FUNC_LINE.test(line)) {
      this.pendingFunc = line;
      return [];
    }
    this.finish();
    return this.push(line);
  }

  /** Ends the input: a traceback still open is finished; a held line is returned. */
  end(): string[] {
    const held = this.pendingFunc;
    this.pendingFunc = undefined;
    if (this.state === 'goroutines') this.finish();
    else if (this.state === 'preamble') {
      const released = this.current!.lines;
      this.reset();
      return released;
    }
    return held === undefined ? [] : [held];
  }

  private add(line: string): void {
    const tb = this.current!;
    if (tb.lines.length < MAX_TRACEBACK_LINES) tb.lines.push(line);
  }

  private finish(): void {
    const tb = this.current!;
    if (!this.firstEnded) tb.firstGoroutineLines = tb.lines.length;
    this.reset();
    this.onTraceback(tb);
  }

  private reset(): void {
    this.state = 'idle';
    this.current = undefined;
    this.pendingFunc = undefined;
  }
}

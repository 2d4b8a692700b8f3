/**
 * Progress of a collection, per target and per profile: started, done (bytes, ms), failed
 * (why), and a countdown for timed captures.
 *
 * Two renderings (conventions.md: no spinners when stderr is not a TTY):
 *  - a TTY gets a compact status block (running captures with countdowns, then a totals
 *    line) redrawn at most REDRAW_MS apart; failures are printed above it and stay;
 *  - anything else gets plain lines, one when a capture starts and one when it ends,
 *    never a carriage return or an escape sequence.
 * NO_COLOR only drops colour; it does not stop the TTY block (no-color.org).
 * Every line goes through the terminal writer (redacted, data's terminal controls escaped),
 * whatever the caller handed in; the block's own cursor moves and colours are TerminalControls.
 */
import { redactSecrets } from '../core/redact.js';
import type { Logger } from '../core/log.js';
import { Styled, TerminalControl, terminalFor, type TerminalPart } from '../core/terminal-writer.js';

/** What is being collected: `what` like `cpu 5s`, `goroutine debug=2 (sample 1/2)`. */
export interface ProgressItem {
  /** The target as shown: host:port[/path], never credentials (see displayTarget). */
  target: string;
  what: string;
  /** Length of a timed capture, for the countdown. */
  seconds?: number;
}

export interface ProgressTask {
  done(bytes: number): void;
  fail(reason: string): void;
  /** The endpoint is legitimately absent (e.g. goroutineleak on an older Go): neither done nor failed. */
  skip(reason: string): void;
}

/** The seam the pprof action reports through. */
export interface CollectProgress {
  start(item: ProgressItem): ProgressTask;
  /** Stops redrawing and prints the totals. Safe to call twice. */
  close(): void;
}

/** Where the output goes: process.stderr, or a capture in tests. */
export interface ProgressStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ProgressOptions {
  stream: ProgressStream;
  /** Colour on a TTY unless NO_COLOR is set (default: from process.env). */
  color?: boolean;
  now?: () => number;
  /** Redraw period on a TTY. */
  redrawMs?: number;
  /** Running captures listed in the TTY block before `… and N more`. */
  maxRows?: number;
}

/** Four redraws a second: a countdown in whole seconds never looks stuck, and it is cheap. */
export const REDRAW_MS = 250;

/** `http://u:p@10.0.0.7:6060/` → `10.0.0.7:6060`; a path prefix is kept. No credentials. */
export function displayTarget(target: string): string {
  try {
    const url = new URL(target);
    const path = url.pathname.replace(/\/+$/, '');
    return `${url.host}${path}`;
  } catch {
    return redactSecrets(target);
  }
}

/** Human size: 512 B, 12.3 KiB, 4.0 MiB. */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}

function formatMs(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

interface Running {
  item: ProgressItem;
  startedAt: number;
}

/** Progress on `stream`: the TTY block when `stream.isTTY`, plain lines otherwise. */
export function createProgress(options: ProgressOptions): CollectProgress {
  const now = options.now ?? (() => Date.now());
  const tty = options.stream.isTTY === true;
  const color = tty && (options.color ?? !process.env.NO_COLOR);
  const out = terminalFor(options.stream, { color });
  const paint = (code: string, text: string) => new Styled(code, text);
  const write = (...parts: TerminalPart[]) => out.write(...parts);
  const running = new Set<Running>();
  const totals = { done: 0, failed: 0, skipped: 0, bytes: 0 };
  const span = { first: 0, last: 0 };
  let blockHeight = 0;
  let timer: NodeJS.Timeout | undefined;
  let closed = false;

  const label = (item: ProgressItem) => `${item.what} ${item.target}`;

  const eraseBlock = () => {
    // Cursor to the start of the block's first line, then clear to the end of the screen.
    if (blockHeight > 0) write(TerminalControl.eraseLinesAbove(blockHeight));
    blockHeight = 0;
  };
  const drawBlock = () => {
    const rows = [...running].slice(0, options.maxRows ?? 8).map((r) => {
      const elapsed = now() - r.startedAt;
      const left = r.item.seconds !== undefined ? Math.max(0, Math.ceil(r.item.seconds - elapsed / 1000)) : undefined;
      return `  ${label(r.item)} ${left !== undefined ? `${left}s left` : formatMs(elapsed)}`;
    });
    if (running.size > rows.length) rows.push(`  … and ${running.size - rows.length} more`);
    write(rows.join('\n') + '\n', paint('2', `collecting: ${running.size} running, ${totals.done} done, ${totals.failed} failed`), '\n');
    blockHeight = rows.length + 1;
  };
  const stopTimer = () => {
    if (timer) clearInterval(timer);
    timer = undefined;
  };
  // With nothing running the block goes away (and so does the timer) until the next start:
  // between two samples an interval apart the terminal is left alone for other output.
  const redraw = () => {
    eraseBlock();
    if (!closed && running.size > 0) drawBlock();
    else stopTimer();
  };
  const printAbove = (...line: TerminalPart[]) => {
    if (tty) {
      eraseBlock();
      write(...line, '\n');
      redraw();
    } else {
      write(...line, '\n');
    }
  };

  return {
    start(item) {
      const entry: Running = { item, startedAt: now() };
      if (running.size === 0 && totals.done + totals.failed === 0) span.first = entry.startedAt;
      running.add(entry);
      if (tty) {
        if (!timer && !closed) {
          timer = setInterval(redraw, options.redrawMs ?? REDRAW_MS);
          timer.unref(); // a forgotten close() must never keep the process alive
        }
        redraw();
      } else {
        write(`started ${label(item)}${item.seconds !== undefined ? ` (${item.seconds}s window)` : ''}\n`);
      }
      let ended = false;
      const end = (...line: TerminalPart[]) => {
        if (ended) return;
        ended = true;
        running.delete(entry);
        printAbove(...line);
      };
      return {
        done(bytes) {
          span.last = now();
          totals.done++;
          totals.bytes += bytes;
          // On a TTY a success is only counted; a plain stream gets its finish line.
          if (tty) {
            if (!ended) {
              ended = true;
              running.delete(entry);
              redraw();
            }
          } else {
            end(`done ${label(item)}: ${formatBytes(bytes)} in ${formatMs(now() - entry.startedAt)}`);
          }
        },
        fail(reason) {
          span.last = now();
          totals.failed++;
          end(paint('31', 'failed'), ` ${label(item)}: ${reason}`);
        },
        skip(reason) {
          span.last = now();
          totals.skipped++;
          end(`skipped ${label(item)}: ${reason}`);
        },
      };
    },
    close() {
      if (closed) return;
      closed = true;
      stopTimer();
      if (tty) eraseBlock();
      if (totals.done + totals.failed === 0) return;
      // From the first start to the last finish: idle time before close() is not collection time.
      const took = formatMs(span.last - span.first);
      const skipped = totals.skipped > 0 ? `, ${totals.skipped} not served` : '';
      write(
        `collected ${totals.done} of ${totals.done + totals.failed} (${formatBytes(totals.bytes)}) in ${took}; ${totals.failed} failed${skipped}\n`,
      );
    },
  };
}

/** Plain progress lines through a Logger (stderr, redacted): what runs when nothing better is wired. */
export function createLoggerProgress(log: Logger): CollectProgress {
  const lines: ProgressStream = {
    write: (text) =>
      text
        .split('\n')
        .filter(Boolean)
        .forEach((line) => log.info(`  ${line}`)),
  };
  return createProgress({ stream: lines, color: false });
}

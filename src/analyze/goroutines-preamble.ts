/**
 * The lines a Go program prints before its goroutines — `panic: …`, `fatal error: …`,
 * `[signal SIGSEGV: …]`, `SIGQUIT: quit` — read into why the dump exists.
 */

/** Why a traceback was printed. */
export interface TracebackCause {
  kind: 'panic' | 'fatal error' | 'signal';
  /** The panic value or fatal error as printed, of the panic that ended the program. */
  message: string;
  /** Every `panic:` line in order (a recovered panic, then the panic raised in its defer …). */
  panics: string[];
  /** A panic in the chain was recovered (`[recovered]`). */
  recovered: boolean;
  /**
   * The recovered value was panicked again: Go ≥ 1.25 prints `[recovered, repanicked]`;
   * Go ≤ 1.24 prints `[recovered]` and then the same value again as `\tpanic: …`.
   */
  repanicked: boolean;
  /** `SIGSEGV: segmentation violation …`, `SIGQUIT: quit` when a signal is named. */
  signal?: string;
}

const PANIC = /^\t?panic: (.*?)(?: \[(recovered(?:, repanicked)?)\])?(?: \[recovered\])?$/;
const FATAL = /^fatal error: (.*)$/;
const SIGNAL_BRACKET = /^\[signal (.*)\]$/;
const SIGNAL_LINE = /^(SIG[A-Z]+: .*)$/;

/** Reads the preamble's lines; undefined when they name no panic, fatal error or signal. */
export function parseTracebackCause(preamble: readonly string[]): TracebackCause | undefined {
  const panics: string[] = [];
  let recovered = false;
  let repanicked = false;
  let fatal: string | undefined;
  let signal: string | undefined;
  let lastRecovered: string | undefined;
  for (const line of preamble) {
    const p = PANIC.exec(line);
    if (p) {
      const message = p[1] ?? '';
      // ≤ 1.24: a value recovered and then panicked again shows up twice in a row.
      if (lastRecovered !== undefined && lastRecovered === message) repanicked = true;
      lastRecovered = undefined;
      if (p[2] !== undefined) {
        recovered = true;
        if (p[2].endsWith('repanicked')) repanicked = true;
        else lastRecovered = message;
      }
      panics.push(message);
      continue;
    }
    const f = FATAL.exec(line);
    if (f) fatal ??= f[1];
    const s = SIGNAL_BRACKET.exec(line) ?? SIGNAL_LINE.exec(line);
    if (s) signal ??= s[1];
  }
  const message = panics.at(-1) ?? fatal ?? signal;
  if (message === undefined) return undefined;
  const kind = panics.length > 0 ? 'panic' : fatal !== undefined ? 'fatal error' : 'signal';
  return { kind, message, panics, recovered, repanicked, signal };
}

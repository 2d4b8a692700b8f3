/**
 * The one way gotriage writes to its stdout and stderr (the logger, progress, every command's
 * results): a sink that redacts secrets (known values across chunks, see secret-registry.ts, and
 * the pattern rules) and escapes terminal controls visibly (terminal-text.ts) in everything it is
 * given, while our own colours and cursor moves — made only by the functions below — pass through.
 * A reader that goes away (`gotriage list | head -1`) ends the output quietly: later writes are
 * dropped, nothing is thrown, and the command's exit code stays what its work made it.
 */
import { redactSecrets } from './redact.js';
import { SecretStreamMasker } from './secret-registry.js';
import { escapeJsonForTerminal, escapeTerminal } from './terminal-text.js';

/** A terminal sequence of our own (colour, cursor movement): written raw, never built from data. */
export class TerminalControl {
  private constructor(readonly sequence: string) {}

  /** SGR: `\x1b[<codes>m`; codes are digits and `;` only (`1;31`). */
  static sgr(codes: string): TerminalControl {
    if (!/^\d+(?:;\d+)*$/.test(codes)) throw new Error(`not an SGR code: ${JSON.stringify(codes)}`);
    return new TerminalControl(`\u001b[${codes}m`);
  }

  /** Carriage return, then the cursor `lines` up and the screen cleared below it. */
  static eraseLinesAbove(lines: number): TerminalControl {
    return new TerminalControl(`\r\u001b[${Math.max(0, Math.trunc(lines))}A\u001b[J`);
  }
}

/** Text coloured with SGR `codes` when the writer shows colour; plain (still escaped) otherwise. */
export class Styled {
  constructor(
    readonly codes: string,
    readonly text: string,
  ) {}
}

/** What a writer takes: data text (redacted and escaped), styled data, or our own controls. */
export type TerminalPart = string | Styled | TerminalControl;

/** The stream a writer wraps: process.stdout/stderr, or a capture in tests. */
export interface TerminalStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
  on?(event: 'error', listener: (error: Error) => void): unknown;
}

export interface TerminalWriter {
  /** The stream is a terminal (progress blocks, table widths). */
  readonly isTTY: boolean;
  /** Colours are shown: a TTY and no NO_COLOR (https://no-color.org), unless set when created. */
  readonly color: boolean;
  /** Terminal width, when it is a terminal. */
  readonly columns: number | undefined;
  /** True once the reader has gone away (EPIPE); later writes are dropped. */
  readonly closed: boolean;
  /** Writes the parts in order: text redacted and escaped, controls as they are. */
  write(...parts: TerminalPart[]): void;
  /** {@link write} plus a newline. */
  line(...parts: TerminalPart[]): void;
  /**
   * `value` as JSON (2-space indent) and a newline: every string redacted, characters a terminal
   * would obey written as `\uXXXX`, so the output parses to the same (redacted) value.
   */
  json(value: unknown): void;
  /** Emits text held back because it could begin a secret (call before the process ends). */
  flush(): void;
}

export interface TerminalWriterOptions {
  /** Force colour on or off; default: a TTY without NO_COLOR. */
  color?: boolean;
}

const writers = new WeakMap<TerminalStream, TerminalWriter>();

/** The writer for `stream`, one per stream so every module shares its state (held text, EPIPE). */
export function terminalFor(stream: TerminalStream, options: TerminalWriterOptions = {}): TerminalWriter {
  let writer = writers.get(stream);
  if (!writer) {
    writer = createTerminalWriter(stream, options);
    writers.set(stream, writer);
  }
  return writer;
}

/** The writer for this process's standard output. */
export function stdoutWriter(): TerminalWriter {
  return terminalFor(process.stdout);
}

/** The writer for this process's standard error. */
export function stderrWriter(): TerminalWriter {
  return terminalFor(process.stderr);
}

/** Emits what the standard writers held back; the CLI calls it once its command is done. */
export function flushStandardWriters(): void {
  stdoutWriter().flush();
  stderrWriter().flush();
}

function createTerminalWriter(stream: TerminalStream, options: TerminalWriterOptions): TerminalWriter {
  const isTTY = stream.isTTY === true;
  const color = options.color ?? (isTTY && !process.env.NO_COLOR);
  const masker = new SecretStreamMasker();
  let closed = false;
  // An EPIPE arrives as an 'error' event after the write returned; without a listener Node
  // throws it as an uncaught exception (a stack trace and exit 1 after `| head -1`).
  stream.on?.('error', (error: Error) => {
    if ((error as NodeJS.ErrnoException).code === 'EPIPE') closed = true;
    else throw error;
  });
  const emit = (text: string) => {
    if (closed || text === '') return;
    try {
      stream.write(text);
    } catch (error) {
      // A synchronous EPIPE (a pipe closed before the write) ends the output the same way.
      if ((error as NodeJS.ErrnoException).code === 'EPIPE') closed = true;
      else throw error;
    }
  };
  const data = (text: string) => escapeTerminal(masker.push(redactSecrets(text)));
  const writer: TerminalWriter = {
    isTTY,
    color,
    columns: isTTY ? stream.columns : undefined,
    get closed() {
      return closed;
    },
    write(...parts) {
      let out = '';
      for (const part of parts) {
        if (typeof part === 'string') out += data(part);
        else if (part instanceof Styled) {
          const text = data(part.text);
          out += color ? `\u001b[${part.codes}m${text}\u001b[0m` : text;
        } else {
          // Held text must come out before the control moves the cursor away from it.
          out += escapeTerminal(masker.end()) + part.sequence;
        }
      }
      emit(out);
    },
    line(...parts) {
      writer.write(...parts, '\n');
    },
    json(value) {
      // Strings are redacted one by one: redacting the serialised text could cut through an escape.
      const text = JSON.stringify(value, (_key, v: unknown) => (typeof v === 'string' ? redactSecrets(v) : v), 2) ?? 'null';
      // JSON.stringify escapes C0 controls already; the rest become \uXXXX, valid inside strings.
      emit(escapeTerminal(masker.end()) + masker.push(escapeJsonForTerminal(text) + '\n'));
    },
    flush() {
      emit(escapeTerminal(masker.end()));
    },
  };
  return writer;
}

/**
 * Progress and diagnostics go to stderr; results go to stdout (conventions.md).
 * Every message passes through redactSecrets so a URL with credentials never reaches a log.
 */
import { redactSecrets } from './redact.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export interface StderrLoggerOptions {
  verbose?: boolean;
  stream?: NodeJS.WritableStream;
}

export function createStderrLogger(options: StderrLoggerOptions = {}): Logger {
  const stream = options.stream ?? process.stderr;
  const color = !process.env.NO_COLOR && (stream as { isTTY?: boolean }).isTTY === true;
  const paint = (code: string, text: string) => (color ? `\u001b[${code}m${text}\u001b[0m` : text);
  const write = (text: string) => stream.write(redactSecrets(text) + '\n');
  return {
    info: (m) => write(m),
    warn: (m) => write(paint('33', 'warning: ') + m),
    error: (m) => write(paint('31', 'error: ') + m),
    debug: (m) => {
      if (options.verbose) write(paint('2', m));
    },
  };
}

/** A logger that keeps lines in memory, for tests. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level}: ${redactSecrets(m)}`);
  return { lines, info: push('info'), warn: push('warn'), error: push('error'), debug: push('debug') };
}

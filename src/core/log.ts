/**
 * Progress and diagnostics go to stderr; results go to stdout (conventions.md).
 * Every message goes through the terminal writer (terminal-writer.ts): secrets redacted,
 * terminal controls from the data escaped visibly, only our own colours kept.
 */
import { redactSecrets } from './redact.js';
import { escapeTerminal } from './terminal-text.js';
import { Styled, terminalFor, type TerminalStream } from './terminal-writer.js';

export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  debug(message: string): void;
}

export interface StderrLoggerOptions {
  verbose?: boolean;
  stream?: TerminalStream;
}

export function createStderrLogger(options: StderrLoggerOptions = {}): Logger {
  const out = terminalFor(options.stream ?? process.stderr);
  return {
    info: (m) => out.line(m),
    warn: (m) => out.line(new Styled('33', 'warning: '), m),
    error: (m) => out.line(new Styled('31', 'error: '), m),
    debug: (m) => {
      if (options.verbose) out.line(new Styled('2', m));
    },
  };
}

/** A logger that keeps lines in memory, for tests: the text a terminal would show, uncoloured. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const push = (level: string) => (m: string) => lines.push(`${level}: ${escapeTerminal(redactSecrets(m))}`);
  return { lines, info: push('info'), warn: push('warn'), error: push('error'), debug: push('debug') };
}

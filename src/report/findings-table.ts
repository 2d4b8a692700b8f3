/**
 * Findings as a terminal table: SEVERITY, KIND, TITLE, LOCATION, most severe first.
 * With a width (a TTY's columns) the title and location columns shrink to fit, cut with
 * `…`; without one (a pipe, a file) nothing is cut, so `grep` sees whole titles.
 */
import { SEVERITIES, type Finding, type SourceLocation } from '../core/model.js';
import { redactSecrets } from '../core/redact.js';
import { escapeTerminal } from '../core/terminal-text.js';
import { Styled, type TerminalPart } from '../core/terminal-writer.js';

export interface FindingsTableOptions {
  /** Terminal width to fit; undefined = plain output, no cutting. */
  width?: number;
}

const HEADERS = ['SEVERITY', 'KIND', 'TITLE', 'LOCATION'] as const;
const GAP = '  ';
/** Narrowest title column worth showing; below it the table overflows rather than say nothing. */
const MIN_TITLE = 20;
const MIN_LOCATION = 12;

/** SGR codes of the severity column; the terminal writer shows them only on a colour terminal. */
const COLORS: Record<string, string> = {
  critical: '1;31',
  high: '31',
  medium: '33',
  low: '36',
  info: '2',
};

/** Most severe first; equal severities keep their order (the analyzers rank within a kind). */
export function sortBySeverity(findings: readonly Finding[]): Finding[] {
  return [...findings].sort((a, b) => SEVERITIES.indexOf(b.severity) - SEVERITIES.indexOf(a.severity));
}

/** `func file:line`, or just the func; `-` when a finding has no location. */
export function formatLocation(location: SourceLocation | undefined): string {
  if (!location) return '-';
  const where = location.file ? ` ${location.file}${location.line ? `:${location.line}` : ''}` : '';
  return `${location.func}${where}`;
}

/**
 * The table, ending in a newline, as parts for the terminal writer (the severity coloured), or
 * `no findings\n`. Every cell is redacted and its control characters escaped visibly before the
 * widths are measured: titles quote data from the analysed files, an escape sequence in a dump
 * must not drive the user's terminal, and the columns must line up with what is shown.
 */
export function formatFindingsTable(findings: readonly Finding[], options: FindingsTableOptions = {}): TerminalPart[] {
  if (findings.length === 0) return ['no findings\n'];
  const rows = sortBySeverity(findings).map((f) => [f.severity, f.kind, f.title, formatLocation(f.location)].map(cleanCell));
  const widths = HEADERS.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  if (options.width !== undefined) fitWidths(widths, options.width);
  const line = (cells: string[], header: boolean): TerminalPart[] => {
    const padded = cells.map((cell, c) => {
      const text = fit(cell, widths[c]!);
      return c === cells.length - 1 ? text : text.padEnd(widths[c]!);
    });
    const rest = GAP + padded.slice(1).join(GAP).trimEnd() + '\n';
    const code = header ? undefined : COLORS[cells[0]!];
    return [code ? new Styled(code, padded[0]!) : padded[0]!, rest];
  };
  return [...line([...HEADERS], true), ...rows.flatMap((r) => line(r, false))];
}

/** Shrinks the title and location columns (the others are short) until the row fits `width`. */
function fitWidths(widths: number[], width: number): void {
  const fixed = widths[0]! + widths[1]! + GAP.length * 3;
  let room = width - fixed;
  const title = widths[2]!;
  const location = widths[3]!;
  if (title + location <= room) return;
  // Location gets up to a third of the room; the title keeps the rest.
  const loc = Math.max(MIN_LOCATION, Math.min(location, Math.floor(room / 3)));
  room -= loc;
  widths[3] = loc;
  widths[2] = Math.max(MIN_TITLE, Math.min(title, room));
}

function fit(text: string, width: number): string {
  return text.length <= width ? text : `${text.slice(0, Math.max(0, width - 1))}…`;
}

function cleanCell(text: string): string {
  // Newlines and tabs become spaces (one row per finding); other controls show as \x1b, \u202e.
  return escapeTerminal(redactSecrets(text).replace(/[\r\n\t]+/g, ' '));
}

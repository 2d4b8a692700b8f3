/**
 * Findings as a terminal table: SEVERITY, KIND, TITLE, LOCATION, most severe first.
 * With a width (a TTY's columns) the title and location columns shrink to fit, cut with
 * `…`; without one (a pipe, a file) nothing is cut, so `grep` sees whole titles.
 */
import { SEVERITIES, type Finding, type SourceLocation } from '../core/model.js';
import { redactSecrets } from '../core/redact.js';

export interface FindingsTableOptions {
  /** Terminal width to fit; undefined = plain output, no cutting. */
  width?: number;
  /** Colour the severity (ANSI). Only for a TTY without NO_COLOR. */
  color?: boolean;
}

const HEADERS = ['SEVERITY', 'KIND', 'TITLE', 'LOCATION'] as const;
const GAP = '  ';
/** Narrowest title column worth showing; below it the table overflows rather than say nothing. */
const MIN_TITLE = 20;
const MIN_LOCATION = 12;

const COLORS: Record<string, string> = {
  critical: '\u001b[1;31m',
  high: '\u001b[31m',
  medium: '\u001b[33m',
  low: '\u001b[36m',
  info: '\u001b[2m',
};
const RESET = '\u001b[0m';

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
 * The table as text ending in a newline, or `no findings\n`. Every cell is redacted and
 * stripped of control characters: titles quote data from the analysed files, and an
 * escape sequence in a dump must not drive the user's terminal.
 */
export function formatFindingsTable(findings: readonly Finding[], options: FindingsTableOptions = {}): string {
  if (findings.length === 0) return 'no findings\n';
  const rows = sortBySeverity(findings).map((f) => [f.severity, f.kind, f.title, formatLocation(f.location)].map(cleanCell));
  const widths = HEADERS.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)));
  if (options.width !== undefined) fitWidths(widths, options.width);
  const line = (cells: string[], header: boolean) =>
    cells
      .map((cell, c) => {
        const text = fit(cell, widths[c]!);
        const padded = c === cells.length - 1 ? text : text.padEnd(widths[c]!);
        return c === 0 && !header && options.color ? `${COLORS[cell] ?? ''}${padded}${RESET}` : padded;
      })
      .join(GAP)
      .trimEnd();
  return [line([...HEADERS], true), ...rows.map((r) => line(r, false))].join('\n') + '\n';
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
  // C0/C1 controls and DEL (ESC starts terminal sequences); newlines become spaces.
  return redactSecrets(text)
    .replace(/[\r\n\t]+/g, ' ')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

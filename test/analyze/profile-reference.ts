/**
 * The reference implementation for the profile tests: runs the real `go tool pprof`
 * (-top, -peek, -list) and splits its text into rows of strings, so tests compare our
 * rows, printed with pprof's own formatting, to the tool's exactly.
 */
import { tmpdir } from 'node:os';
import { execa } from 'execa';
import { formatPprofPercent, formatPprofValue } from '../../src/core/pprof-units.ts';
import type { PprofTop } from '../../src/analyze/profile-top.ts';

/** Runs `go tool pprof ARGS` and returns stdout (PPROF_TMPDIR keeps its scratch files out of $HOME). */
export async function pprofText(args: string[], cwd?: string): Promise<string> {
  const { stdout } = await execa('go', ['tool', 'pprof', ...args], { env: { PPROF_TMPDIR: tmpdir() }, cwd });
  return stdout;
}

// internal/report printText: "%10s %s %s %10s %s  %s%s" — split on whitespace, values may exceed 10 chars.
const TOP_ROW = /^\s*(\S+)\s+(\S+%)\s+(\S+%)\s+(\S+)\s+(\S+%)\s{2}(.+?)(?: \(((?:partial-)?inline)\))?$/;

/** The -top table's rows as [flat, flat%, sum%, cum, cum%, name, inline] strings. */
export function parseTopRows(text: string): string[][] {
  const lines = text.split('\n');
  const start = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%$/.test(l));
  if (start < 0) throw new Error(`no -top table in:\n${text}`);
  return lines
    .slice(start + 1)
    .filter((l) => l.trim() !== '')
    .map((l) => {
      const m = TOP_ROW.exec(l);
      if (!m) throw new Error(`unparsed -top row: ${l}`);
      return [m[1]!, m[2]!.trim(), m[3]!.trim(), m[4]!, m[5]!.trim(), m[6]!, m[7] ?? ''];
    });
}

/** Our -top result printed as the same string rows. */
export function formatTopRows(top: PprofTop): string[][] {
  const v = (x: number) => formatPprofValue(x, top.unit, top.outputUnit);
  return top.rows.map((r) => [
    v(r.flat),
    formatPprofPercent(r.flat, top.total).trim(),
    formatPprofPercent((r.sumPct / 100) * top.total, top.total).trim(),
    v(r.cum),
    formatPprofPercent(r.cum, top.total).trim(),
    r.func,
    r.inline ?? '',
  ]);
}

/** "Dropped N nodes" from the header, 0 when absent. */
export function droppedNodes(text: string): number {
  return Number(/Dropped (\d+) nodes/.exec(text)?.[1] ?? 0);
}

/** -peek blocks as string rows: ['node', flat, flat%, sum%, cum, cum%, name] or ['edge', value, pct, name, inline]. */
export function parsePeekRows(text: string): string[][] {
  const lines = text.split('\n');
  const legend = lines.findIndex((l) => /^\s+flat\s+flat%\s+sum%\s+cum\s+cum%\s+calls calls% \+ context/.test(l));
  if (legend < 0) throw new Error(`no -peek table in:\n${text}`);
  const rows: string[][] = [];
  for (const l of lines.slice(legend + 1)) {
    if (/^-+\+-+$/.test(l) || l.trim() === '') continue;
    const bar = l.indexOf('|');
    const left = l.slice(0, bar).trim().split(/\s+/);
    const right = l.slice(bar + 1).trim();
    if (left.length === 5) rows.push(['node', ...left.map((x) => x), right]);
    else {
      const m = /^(.+?)( \(inline\))?$/.exec(right)!;
      rows.push(['edge', left[0]!, left[1]!, m[1]!, m[2] ? 'inline' : '']);
    }
  }
  return rows;
}

/** -list routines: ['routine', name, file], ['total', flat, cum, pct], ['line', flat, cum, lineno, source]. */
export function parseListRows(text: string): string[][] {
  const rows: string[][] = [];
  for (const l of text.split('\n')) {
    let m = /^ROUTINE =+ (.+) in (.+)$/.exec(l);
    if (m) rows.push(['routine', m[1]!, m[2]!]);
    else if ((m = /^\s*(\S+)\s+(\S+) \(flat, cum\)\s+(\S+%) of Total$/.exec(l))) rows.push(['total', m[1]!, m[2]!, m[3]!]);
    else if ((m = /^\s*(\S+)\s+(\S+)\s+(\d+):(.*)$/.exec(l))) rows.push(['line', m[1]!, m[2]!, m[3]!, m[4]!]);
  }
  return rows;
}

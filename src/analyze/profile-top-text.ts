/**
 * The text of `go tool pprof -top`, line for line, for a table computed by
 * src/analyze/profile-top.ts. Kept byte-identical to pprof's own output (google/pprof
 * internal/report: ProfileLabels' `Type:`, reportLabels, printText) so that a user can diff
 * it against the tool, paste it where pprof output is expected, and so the tests and
 * bench/profile-top.js can compare it with the real tool line by line.
 */
import { formatPprofPercent, formatPprofValue } from '../core/pprof-units.js';
import type { PprofTop } from './profile-top.js';

/** pprof's default -nodefraction: the Dropped line reports its cutoff. */
const DEFAULT_NODE_FRACTION = 0.005;

export interface PprofTopTextOptions {
  /** The -nodefraction the table was trimmed with; default pprof's 0.005. */
  nodeFraction?: number;
}

/** Control characters in names from a profile would reach the terminal: shown as `?`. */
function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
}

/**
 * A row's name as pprof prints it (graph.NodeInfo.NameComponents): a location without a
 * function (unsymbolized frames, as in threadcreate profiles) is `<unknown>`. pprof names
 * it `[binary]` instead when its mapping has a file; the rows do not carry the mapping, so
 * that case still prints `<unknown>`.
 */
function rowName(func: string): string {
  return func === '' ? '<unknown>' : printable(func);
}

/**
 * The lines pprof prints for `-top`, from `Type:` on (its other profile labels, File, Build
 * ID, Time and Duration, are left out). Every string ends with a newline.
 */
export function formatPprofTopText(top: PprofTop, options: PprofTopTextOptions = {}): string {
  // rpt.formatValue: every value of the report in the one unit selectOutputUnit chose.
  const value = (v: number) => formatPprofValue(v, top.unit, top.outputUnit);
  const pct = (v: number) => formatPprofPercent(v, top.total);
  // graphTotal: the flat values of the nodes shown.
  const shown = top.rows.reduce((sum, r) => sum + r.flat, 0);
  const lines = [
    `Type: ${printable(top.sampleType)}`,
    `Showing nodes accounting for ${value(shown)}, ${pct(shown).trim()} of ${value(top.total)} total`,
  ];
  if (top.total !== 0 && top.droppedNodes > 0) {
    // reportLabels states the cutoff from the report total, int64(float64(total) * nodeFraction),
    // although trimming used the sum of flat values (trimTopNodes): pprof prints it so.
    const cutoff = Math.abs(Math.trunc(top.total * (options.nodeFraction ?? DEFAULT_NODE_FRACTION)));
    lines.push(`Dropped ${top.droppedNodes} ${top.droppedNodes > 1 ? 'nodes' : 'node'} (cum <= ${value(cutoff)})`);
  }
  // reportLabels: -nodecount cut the functions left after the node fraction (origCount).
  if (top.total !== 0 && top.rows.length > 0 && top.rows.length < top.origCount) {
    lines.push(`Showing top ${top.rows.length} nodes out of ${top.origCount}`);
  }
  // printText: "%10s %5s%% %5s%% %10s %5s%%", then "%10s %s %s %10s %s  %s%s" per row.
  lines.push('      flat  flat%   sum%        cum   cum%');
  let flatSum = 0;
  for (const r of top.rows) {
    flatSum += r.flat;
    const label = r.inline ? ` (${r.inline})` : '';
    lines.push(
      `${value(r.flat).padStart(10)} ${pct(r.flat)} ${pct(flatSum)} ${value(r.cum).padStart(10)} ${pct(r.cum)}  ${rowName(r.func)}${label}`,
    );
  }
  return lines.join('\n') + '\n';
}

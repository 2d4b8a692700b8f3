#!/usr/bin/env node
// Prints `go tool pprof -top` rows of a profile the fast way (dist/analyze/profile-fast-top.js),
// in pprof's own row format ("%10s %s %s %10s %s  %s%s", internal/report printText), so
// bench/profile-top.js can time it as a whole process and compare its rows with the tool's.
// The stand-in for `gotriage analyze FILE`, which prints findings rather than the table.
//
//   node bench/profile-top-cli.js FILE [NODECOUNT]
import { fastPprofTopFile } from '../dist/analyze/profile-fast-top.js';
import { formatPprofPercent, formatPprofValue } from '../dist/analyze/profile-format.js';

const [file, nodeCount = '20'] = process.argv.slice(2);
const top = await fastPprofTopFile(file, { nodeCount: Number(nodeCount) });
const value = (v) => formatPprofValue(v, top.unit, top.outputUnit);
const lines = [`Dropped ${top.droppedNodes} nodes`, '      flat  flat%   sum%        cum   cum%'];
let sum = 0;
for (const r of top.rows) {
  sum += r.flat;
  const pct = (v) => formatPprofPercent(v, top.total);
  lines.push(`${value(r.flat).padStart(10)} ${pct(r.flat)} ${pct(sum)} ${value(r.cum).padStart(10)} ${pct(r.cum)}  ${r.func}${r.inline ? ` (${r.inline})` : ''}`);
}
process.stdout.write(lines.join('\n') + '\n');

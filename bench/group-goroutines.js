#!/usr/bin/env node
// Groups a goroutine dump the way the analyze step does and prints one line per group:
// the stand-in for `gotriage analyze FILE` in bench/goroutines.js while that command is
// not wired into the CLI. A whole process, like the command would be.
//
//   node bench/group-goroutines.js DUMP
import { parseGoroutineDump } from '../dist/analyze/goroutines.js';

const dump = await parseGoroutineDump(process.argv[2]);
const lines = [`${dump.total} goroutines, ${dump.groups.length} groups`];
for (const g of dump.groups) lines.push(`${g.count}\t${g.state}\t${g.topUserFrame?.func ?? g.frames[0]?.func ?? ''}`);
process.stdout.write(lines.join('\n') + '\n');

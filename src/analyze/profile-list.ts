/**
 * `go tool pprof -list 'regexp'`: per source line flat and cum of each matching
 * function, with the source text (google/pprof report/source.go printSource).
 */
import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, join, normalize, sep } from 'node:path';
import type { DecodedProfile } from './profile.js';
import { resolveSampleIndex, sampleUnit } from './profile-sample-index.js';

export interface ListLine {
  line: number;
  flat: number;
  cum: number;
  /** The source line without its newline; undefined when the file could not be read. */
  source?: string;
}

export interface ListRoutine {
  func: string;
  /** The file as the profile names it (cleaned like filepath.Clean). */
  file: string;
  /** Σ over the function's lines in this file (pprof's `(flat, cum)` line). */
  flat: number;
  cum: number;
  /** With readable source: every line from the function's start to 5 after its last sampled line; otherwise only sampled lines. */
  lines: ListLine[];
  /** Why the source is missing, when it is. */
  sourceError?: string;
}

export interface ListResult {
  routines: ListRoutine[];
  total: number;
  unit: string;
  sampleIndex: number;
}

interface LineNode {
  func: string;
  file: string;
  startLine: number;
  line: number;
  flat: number;
  cum: number;
}

/** Lines-granularity nodes: (function, file, line), flat at the leaf line, cum once per sample. */
function lineNodes(profile: DecodedProfile, sampleIndex: number, rx: RegExp): LineNode[] {
  const nodes = new Map<string, LineNode>();
  const matches = new Map<string, boolean>();
  const keyOf = (name: string, file: string, line: number) => `${name}\u0000${file}\u0000${line}`;
  for (const sample of profile.samples) {
    const v = sample.values[sampleIndex] ?? 0;
    if (v === 0) continue;
    const seen = new Set<string>();
    for (let i = 0; i < sample.locations.length; i++) {
      const lines = sample.locations[i]!.lines;
      for (let j = 0; j < lines.length; j++) {
        const { func, line } = lines[j]!;
        let match = matches.get(func.name);
        if (match === undefined) matches.set(func.name, (match = rx.test(func.name)));
        if (!match) continue;
        const file = func.filename ? normalize(func.filename) : '';
        const key = keyOf(func.name, file, line);
        let node = nodes.get(key);
        if (!node) nodes.set(key, (node = { func: func.name, file, startLine: func.startLine, line, flat: 0, cum: 0 }));
        if (!seen.has(key)) {
          seen.add(key);
          node.cum += v;
        }
        if (i === 0 && j === 0) node.flat += v;
      }
    }
  }
  return [...nodes.values()];
}

/** Finds a readable copy of `file`: as named, under sourceRoot, or its trailing path components under sourceRoot. */
function readSource(file: string, sourceRoot: string): string[] | undefined {
  const candidates = isAbsolute(file) ? [file] : [];
  const parts = file.split(sep).filter(Boolean);
  for (let i = 0; i < parts.length; i++) candidates.push(join(sourceRoot, ...parts.slice(i)));
  for (const c of candidates) {
    if (existsSync(c)) {
      const lines = readFileSync(c, 'utf8').split('\n');
      if (lines.at(-1) === '') lines.pop();
      return lines;
    }
  }
  return undefined;
}

/** getSourceFromFile: the function's start line (or first sample − 5) to its last sampled line + 5. */
function sourceRange(nodes: LineNode[]): { start: number; end: number } {
  const margin = 5;
  const first = nodes[0]!;
  let start = first.startLine !== 0 ? first.startLine : first.line - margin;
  let end = first.line + margin;
  for (const n of nodes) {
    const nodeStart = n.startLine !== 0 ? n.startLine : n.line - margin;
    // pprof extends `end` only when it did not lower `start` for this node (an else-if).
    if (nodeStart < start) start = nodeStart;
    else if (n.line + margin > end) end = n.line + margin;
  }
  return { start: Math.max(1, start), end };
}

function routineFor(func: string, file: string, nodes: LineNode[], sourceRoot: string): ListRoutine {
  let flat = 0;
  let cum = 0;
  const byLine = new Map<number, { flat: number; cum: number }>();
  for (const n of nodes) {
    flat += n.flat;
    cum += n.cum;
    const at = byLine.get(n.line) ?? { flat: 0, cum: 0 };
    at.flat += n.flat;
    at.cum += n.cum;
    byLine.set(n.line, at);
  }
  const source = readSource(file, sourceRoot);
  if (!source) {
    const lines = [...byLine].sort((a, b) => a[0] - b[0]).map(([line, v]) => ({ line, ...v }));
    return { func, file, flat, cum, lines, sourceError: `cannot read ${file} (looked under ${sourceRoot})` };
  }
  const { start, end } = sourceRange(nodes);
  const lines: ListLine[] = [];
  for (let line = start; line <= end && line <= source.length; line++) {
    const at = byLine.get(line);
    lines.push({ line, flat: at?.flat ?? 0, cum: at?.cum ?? 0, source: source[line - 1]!.replace(/\r$/, '') });
  }
  return { func, file, flat, cum, lines };
}

/**
 * Per-line flat/cum of every function whose name matches `pattern` (unanchored, like
 * pprof's), one routine per function and source file, functions by name and files by
 * path as pprof orders them. Source files are looked up as recorded in the profile,
 * then under `sourceRoot` (default: the current directory), like `-source_path`.
 */
export function listFunction(
  profile: DecodedProfile,
  pattern: string | RegExp,
  options: { sourceRoot?: string; sampleIndex?: string | number } = {},
): ListResult {
  const rx = typeof pattern === 'string' ? new RegExp(pattern) : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  const sampleIndex = resolveSampleIndex(profile, options.sampleIndex);
  let total = 0;
  for (const s of profile.samples) total += Math.abs(s.values[sampleIndex] ?? 0);
  const groups = new Map<string, Map<string, LineNode[]>>();
  for (const n of lineNodes(profile, sampleIndex, rx)) {
    if (n.file === '') continue; // pprof: "No source information" — nothing to list
    const files = groups.get(n.func) ?? groups.set(n.func, new Map()).get(n.func)!;
    (files.get(n.file) ?? files.set(n.file, []).get(n.file)!).push(n);
  }
  const routines: ListRoutine[] = [];
  const root = options.sourceRoot ?? process.cwd();
  for (const func of [...groups.keys()].sort()) {
    const files = groups.get(func)!;
    for (const file of [...files.keys()].sort()) routines.push(routineFor(func, file, files.get(file)!, root));
  }
  return { routines, total, unit: sampleUnit(profile, sampleIndex), sampleIndex };
}

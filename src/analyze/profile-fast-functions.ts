/**
 * topFunctions (profile.ts) and the hot line of a function, computed while streaming over
 * the proto bytes (profile-fast-tables.ts, profile-fast-samples.ts) instead of decoding
 * every sample into objects, for the analyzers that read whole CPU profiles. Equal to the
 * decoder's results on the same file (test/analyze/profile-fast-functions.test.ts).
 */
import type { TopFunctionRow } from './profile.js';
import type { FastTables } from './profile-fast-tables.js';
import { SampleScanner } from './profile-fast-samples.js';

/** Per-node totals of one pass over the samples at a sample index. */
export interface FastTotals {
  flat: Float64Array;
  cum: Float64Array;
  /** Σ flat (pprof trims nodes against it). */
  flatSum: number;
  /** Σ|value| of every sample (the report total). */
  total: number;
}

/**
 * One pass over the samples: pprof's graph node weights (graph.newGraph) without building
 * the graph. Flat goes to the leaf's innermost frame; cum counts a function once per
 * sample (recursion); zero-valued samples and samples without locations add to the total only.
 */
export function fastFlatCum(proto: Buffer, tables: FastTables, sampleIndex: number): FastTotals {
  const n = tables.nodes.length;
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  // A generation stamp per node instead of a per-sample Set: a function counts once per sample (recursion).
  const stamp = new Int32Array(n).fill(-1);
  const { locFirst, locCount, locNodes } = tables;
  const scan = new SampleScanner(proto, tables.slotOfId, sampleIndex, tables.sampleTypes.length);
  let flatSum = 0;
  let total = 0;
  while (scan.next()) {
    const v = scan.value;
    total += Math.abs(v);
    if (v === 0 || scan.count === 0) continue;
    const s = scan.index;
    const slots = scan.slots;
    for (let i = 0; i < scan.count; i++) {
      const slot = slots[i]!;
      const end = locFirst[slot]! + locCount[slot]!;
      for (let k = locFirst[slot]!; k < end; k++) {
        const node = locNodes[k]!;
        if (stamp[node] !== s) {
          stamp[node] = s;
          cum[node]! += v;
        }
      }
    }
    flat[leafNode(tables, slots[0]!)]! += v;
    flatSum += v;
  }
  return { flat, cum, flatSum, total };
}

/** Per-function flat and cum at `sampleIndex`, sorted like topFunctions; plus Σ|value|. */
export function fastTopFunctions(proto: Buffer, tables: FastTables, sampleIndex: number): { rows: TopFunctionRow[]; total: number } {
  const { flat, cum, total } = fastFlatCum(proto, tables, sampleIndex);
  const pct = (x: number) => (total === 0 ? 0 : (Math.abs(x) / total) * 100);
  const rows: TopFunctionRow[] = [];
  tables.nodes.forEach((node, id) => {
    if (flat[id] === 0 && cum[id] === 0) return;
    rows.push({
      func: node.name,
      flat: flat[id]!,
      cum: cum[id]!,
      flatPct: pct(flat[id]!),
      cumPct: pct(cum[id]!),
      file: node.file,
      startLine: node.startLine,
    });
  });
  rows.sort(
    (a, b) => Math.abs(b.flat) - Math.abs(a.flat) || (a.func < b.func ? -1 : a.func > b.func ? 1 : 0) || Math.abs(b.cum) - Math.abs(a.cum),
  );
  return { rows, total };
}

/** For each of `funcs`, the source line its leaf samples hit most (like cpu-findings.ts hottestLine). */
export function fastHottestLines(proto: Buffer, tables: FastTables, sampleIndex: number, funcs: readonly string[]): Map<string, number> {
  const wanted = new Map<number, Map<number, number>>();
  tables.nodes.forEach((node, id) => {
    if (funcs.includes(node.name)) wanted.set(id, new Map());
  });
  const scan = new SampleScanner(proto, tables.slotOfId, sampleIndex, tables.sampleTypes.length);
  while (wanted.size > 0 && scan.next()) {
    if (scan.count === 0) continue;
    const leaf = scan.slots[0]!;
    const byLine = wanted.get(leafNode(tables, leaf));
    const line = tables.locLeafLine[leaf]!;
    if (byLine && line > 0) byLine.set(line, (byLine.get(line) ?? 0) + Math.abs(scan.value));
  }
  const hottest = new Map<string, number>();
  for (const [id, byLine] of wanted) {
    const best = hottestOf(byLine);
    if (best !== undefined) hottest.set(tables.nodes[id]!.name, best);
  }
  return hottest;
}

/** The line with the largest value (the lowest line of a tie), or undefined for none. */
export function hottestOf(byLine: ReadonlyMap<number, number>): number | undefined {
  let best: number | undefined;
  let bestValue = -1;
  for (const [line, value] of byLine) {
    if (value > bestValue || (value === bestValue && line < (best ?? Infinity))) {
      best = line;
      bestValue = value;
    }
  }
  return best;
}

/** The node a sample's flat goes to: the innermost frame of its leaf location (its nodes are stored outermost first). */
function leafNode(tables: FastTables, slot: number): number {
  return tables.locNodes[tables.locFirst[slot]! + tables.locCount[slot]! - 1]!;
}

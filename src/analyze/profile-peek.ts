/**
 * `go tool pprof -peek 'regexp'`: each matching function with its callers and callees
 * (google/pprof report.printTree on the untrimmed graph).
 */
import type { DecodedProfile } from './profile.js';
import { buildFunctionGraph, byCumThenName, byFlatThenName, compareNames, type GraphEdge, type GraphNode } from './profile-graph.js';
import { selectOutputUnit } from '../core/pprof-units.js';
import { resolveSampleIndex, sampleUnit } from './profile-sample-index.js';

export interface PeekEdge {
  func: string;
  /** Value of the samples that crossed this call. */
  weight: number;
  /** weight as a percentage of the peeked function's cum (pprof's calls%). */
  pct: number;
  inline: boolean;
}

export interface PeekEntry {
  func: string;
  flat: number;
  cum: number;
  flatPct: number;
  /** Running flat% over the matching functions only, as pprof prints it. */
  sumPct: number;
  cumPct: number;
  callers: PeekEdge[];
  callees: PeekEdge[];
}

export interface PeekResult {
  entries: PeekEntry[];
  total: number;
  unit: string;
  outputUnit: string;
  sampleIndex: number;
}

/** edgeList.Less: |weight| desc (when weights differ), caller name, callee name. */
function edgeOrder(nodes: GraphNode[]) {
  return (a: GraphEdge, b: GraphEdge) =>
    (a.weight !== b.weight ? Math.abs(b.weight) - Math.abs(a.weight) : 0) ||
    compareNames(nodes[a.caller]!.name, nodes[b.caller]!.name) ||
    compareNames(nodes[a.callee]!.name, nodes[b.callee]!.name);
}

/**
 * Callers and callees of every function whose name matches `pattern` (a JavaScript
 * RegExp, unanchored like Go's MatchString), in pprof's order (flat, or cum with
 * `cum: true`). Throws nothing when nothing matches: `entries` is empty (pprof exits
 * with "no matches found").
 */
export function peekFunction(
  profile: DecodedProfile,
  pattern: string | RegExp,
  options: { sampleIndex?: string | number; cum?: boolean } = {},
): PeekResult {
  // A global RegExp's test() is stateful (lastIndex); drop the flag.
  const rx = typeof pattern === 'string' ? new RegExp(pattern) : new RegExp(pattern.source, pattern.flags.replace(/[gy]/g, ''));
  const sampleIndex = resolveSampleIndex(profile, options.sampleIndex);
  const graph = buildFunctionGraph([{ profile, sampleIndex, sign: 1 }], { edges: true });
  let total = 0;
  for (const s of profile.samples) total += Math.abs(s.values[sampleIndex] ?? 0);
  const byId: GraphNode[] = [];
  for (const n of graph.nodes) byId[n.id] = n;
  const callers = new Map<number, GraphEdge[]>();
  const callees = new Map<number, GraphEdge[]>();
  for (const e of graph.edges.values()) {
    (callers.get(e.callee) ?? callers.set(e.callee, []).get(e.callee)!).push(e);
    (callees.get(e.caller) ?? callees.set(e.caller, []).get(e.caller)!).push(e);
  }
  const order = edgeOrder(byId);
  const pct = (v: number, of: number) => (of === 0 ? 0 : Math.abs(v / of) * 100);
  const nodes = [...graph.nodes].sort(options.cum ? byCumThenName : byFlatThenName);
  let flatSum = 0;
  const entries: PeekEntry[] = [];
  for (const n of nodes) {
    if (!rx.test(n.name)) continue;
    flatSum += n.flat;
    const edge = (e: GraphEdge, other: number): PeekEdge => ({
      func: byId[other]!.name,
      weight: e.weight,
      pct: pct(e.weight, n.cum),
      inline: e.inline,
    });
    entries.push({
      func: n.name,
      flat: n.flat,
      cum: n.cum,
      flatPct: pct(n.flat, total),
      sumPct: pct(flatSum, total),
      cumPct: pct(n.cum, total),
      callers: [...(callers.get(n.id) ?? [])].sort(order).map((e) => edge(e, e.caller)),
      callees: [...(callees.get(n.id) ?? [])].sort(order).map((e) => edge(e, e.callee)),
    });
  }
  const unit = sampleUnit(profile, sampleIndex);
  return { entries, total, unit, outputUnit: selectOutputUnit(graph.nodes, total, unit), sampleIndex };
}

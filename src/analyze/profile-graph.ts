/**
 * The function-level call graph `go tool pprof` builds before every text report
 * (vendored google/pprof internal/graph newGraph): one node per function name, flat
 * and cum per node, caller→callee edges with weights and an inline flag. -top, -peek
 * and -diff_base are views of this graph, so building it the same way is what makes
 * our rows equal the tool's.
 */
import type { DecodedProfile, ProfileFunction } from './profile.js';

/** One input of a graph: a profile's samples at one sample index, added with a sign (-1 for a diff base). */
export interface GraphSource {
  profile: DecodedProfile;
  sampleIndex: number;
  sign: 1 | -1;
}

export interface GraphEdge {
  caller: number;
  callee: number;
  weight: number;
  /** pprof marks an edge inline only when every sample crossing it crossed an inlined call. */
  inline: boolean;
}

export interface GraphNode {
  id: number;
  name: string;
  file: string;
  startLine: number;
  flat: number;
  cum: number;
}

export interface FunctionGraph {
  nodes: GraphNode[];
  /** Keyed by callerId * nodeCount + calleeId; present only when edges were asked for. */
  edges: Map<number, GraphEdge>;
  /** Σ flat over nodes (signed): pprof's base for the node cutoff (report.go newTrimmedGraph). */
  flatSum: number;
}

interface NodeTable {
  nodes: GraphNode[];
  byName: Map<string, number>;
  /** Per location object: node ids outermost-first (pprof walks lines from the last). */
  locNodes: Map<object, Int32Array>;
}

function unsymbolisedName(address: number): string {
  // Unsymbolised locations at function granularity lose their address (profile.Aggregate),
  // leaving pprof nothing but the binary's name; without mappings we keep the address.
  return `0x${address.toString(16)}`;
}

function nodeTable(sources: readonly GraphSource[]): NodeTable {
  const nodes: GraphNode[] = [];
  const byName = new Map<string, number>();
  const locNodes = new Map<object, Int32Array>();
  const nodeFor = (name: string, fn?: ProfileFunction) => {
    let id = byName.get(name);
    if (id === undefined) {
      id = nodes.length;
      byName.set(name, id);
      nodes.push({ id, name, file: fn?.filename ?? '', startLine: fn?.startLine ?? 0, flat: 0, cum: 0 });
    }
    return id;
  };
  for (const { profile } of sources) {
    for (const sample of profile.samples) {
      for (const loc of sample.locations) {
        if (locNodes.has(loc)) continue;
        const ids = new Int32Array(Math.max(1, loc.lines.length));
        if (loc.lines.length === 0) ids[0] = nodeFor(unsymbolisedName(loc.address));
        // line[] is innermost first; store outermost first, the order pprof visits them.
        else
          for (let i = 0; i < loc.lines.length; i++) ids[loc.lines.length - 1 - i] = nodeFor(loc.lines[i]!.func.name, loc.lines[i]!.func);
        locNodes.set(loc, ids);
      }
    }
  }
  return { nodes, byName, locNodes };
}

/**
 * Builds the graph like pprof's newGraph: per sample, walk root → leaf; each node's cum
 * gets the value once per sample (recursion), each caller→callee edge once per sample
 * (self-calls skipped), and the leaf frame (innermost inlined line of the first
 * location) gets flat. With `keep`, frames of other functions are skipped (pprof's
 * "residual" edges) and a sample whose leaf is not kept adds no flat anywhere.
 * Samples whose value is 0 are ignored, as pprof does.
 */
export function buildFunctionGraph(
  sources: readonly GraphSource[],
  options: { keep?: ReadonlySet<string>; edges?: boolean } = {},
): FunctionGraph {
  const table = nodeTable(sources);
  const { nodes } = table;
  const n = nodes.length;
  const kept = options.keep ? Uint8Array.from(nodes, (node) => (options.keep!.has(node.name) ? 1 : 0)) : undefined;
  const seen = new Int32Array(n).fill(-1);
  const edges = new Map<number, GraphEdge>();
  const seenEdges = new Set<number>();
  const flat = new Float64Array(n);
  const cum = new Float64Array(n);
  let stamp = 0;
  for (const { profile, sampleIndex, sign } of sources) {
    for (const sample of profile.samples) {
      const raw = sample.values[sampleIndex] ?? 0;
      if (raw === 0) continue;
      const v = sign * raw;
      stamp++;
      if (options.edges) seenEdges.clear();
      let parent = -1;
      let residual = false;
      const locs = sample.locations;
      for (let i = locs.length - 1; i >= 0; i--) {
        const ids = table.locNodes.get(locs[i]!)!;
        for (let j = 0; j < ids.length; j++) {
          const id = ids[j]!;
          if (kept && kept[id] === 0) {
            residual = true;
            continue;
          }
          if (seen[id] !== stamp) {
            seen[id] = stamp;
            cum[id]! += v;
          }
          if (options.edges && parent >= 0 && parent !== id) {
            const key = parent * n + id;
            if (!seenEdges.has(key)) {
              seenEdges.add(key);
              // ids are outermost first: any frame after the first of a location is inlined.
              const inline = j !== 0;
              const edge = edges.get(key);
              if (edge) {
                edge.weight += v;
                if (!inline) edge.inline = false;
              } else edges.set(key, { caller: parent, callee: id, weight: v, inline });
            }
          }
          parent = id;
          residual = false;
        }
      }
      if (parent >= 0 && !residual) flat[parent]! += v;
    }
  }
  let flatSum = 0;
  for (let i = 0; i < n; i++) {
    nodes[i]!.flat = flat[i]!;
    nodes[i]!.cum = cum[i]!;
    flatSum += flat[i]!;
  }
  return { nodes: nodes.filter((node) => node.flat !== 0 || node.cum !== 0), edges, flatSum };
}

/** Go's string order (bytewise); JS `<` compares UTF-16 units, which differs only outside the BMP. */
export function compareNames(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** pprof FlatNameOrder: |flat| desc, name, |cum| desc. */
export function byFlatThenName(a: GraphNode, b: GraphNode): number {
  return Math.abs(b.flat) - Math.abs(a.flat) || compareNames(a.name, b.name) || Math.abs(b.cum) - Math.abs(a.cum);
}

/** pprof CumNameOrder (`-cum`): |cum| desc, name, |flat| desc. */
export function byCumThenName(a: GraphNode, b: GraphNode): number {
  return Math.abs(b.cum) - Math.abs(a.cum) || compareNames(a.name, b.name) || Math.abs(b.flat) - Math.abs(a.flat);
}

/**
 * The package dependency graph of a module, from `go list -deps` packages: the module's
 * own packages, the third-party packages they reach, and the standard library folded
 * into one node or dropped.
 */
import type { ListedPackage } from './deps-list.js';

export type DepNodeKind = 'module' | 'dependency' | 'std';

export interface DepNode {
  /** Import path, or `std` for the folded standard library. */
  id: string;
  kind: DepNodeKind;
  /** Whether a finding points into this package. */
  highlighted: boolean;
}

export interface DepGraph {
  /** Module packages first, then dependencies, then std; each group sorted by id. */
  nodes: DepNode[];
  /** `[from, to]` import edges, deduplicated, sorted. */
  edges: [string, string][];
}

export interface DepGraphOptions {
  /** `fold` (default): every std import becomes one `std` node; `drop`: std is left out. */
  std?: 'fold' | 'drop';
  /**
   * Function names from findings (`main.renderExport`, `example.com/svc/store.(*S).Put`)
   * or import paths: the packages they name are highlighted. `main.*` names every
   * `main` package of the module.
   */
  highlight?: readonly string[];
}

export const STD_NODE = 'std';

/** Builds the graph. Edges out of std packages are not followed: they are not the service's. */
export function buildDepGraph(packages: readonly ListedPackage[], options: DepGraphOptions = {}): DepGraph {
  const fold = (options.std ?? 'fold') === 'fold';
  const byPath = new Map(packages.map((p) => [p.ImportPath, p]));
  const kindOf = (p: ListedPackage): DepNodeKind => (p.Standard ? 'std' : p.Module?.Main ? 'module' : 'dependency');
  const target = (path: string): string | undefined => {
    const pkg = byPath.get(path);
    // `C` (cgo) and unresolved imports are not in the list: std-like pseudo packages.
    if (!pkg || pkg.Standard) return fold ? STD_NODE : undefined;
    return path;
  };

  const nodes = new Map<string, DepNode>();
  const edges = new Set<string>();
  for (const pkg of packages) {
    if (pkg.Standard) continue;
    nodes.set(pkg.ImportPath, { id: pkg.ImportPath, kind: kindOf(pkg), highlighted: false });
    for (const imp of pkg.Imports ?? []) {
      const to = target(imp);
      if (to === undefined) continue;
      if (to === STD_NODE) nodes.set(STD_NODE, { id: STD_NODE, kind: 'std', highlighted: false });
      edges.add(JSON.stringify([pkg.ImportPath, to]));
    }
  }
  const mainPackages = packages.filter((p) => p.Name === 'main' && p.Module?.Main).map((p) => p.ImportPath);
  for (const name of options.highlight ?? []) {
    for (const id of packagesNamedBy(name, nodes, mainPackages)) nodes.get(id)!.highlighted = true;
  }
  const order: Record<DepNodeKind, number> = { module: 0, dependency: 1, std: 2 };
  return {
    nodes: [...nodes.values()].sort((a, b) => order[a.kind] - order[b.kind] || compare(a.id, b.id)),
    edges: [...edges].map((e) => JSON.parse(e) as [string, string]).sort((a, b) => compare(a[0], b[0]) || compare(a[1], b[1])),
  };
}

/**
 * The packages a finding's function (or an import path) names. A Go symbol is
 * `<import path>.<name>`: the package ends at the first dot after the last slash.
 */
function packagesNamedBy(name: string, nodes: ReadonlyMap<string, DepNode>, mainPackages: readonly string[]): string[] {
  if (nodes.has(name)) return [name];
  const slash = name.lastIndexOf('/');
  const dot = name.indexOf('.', slash + 1);
  const pkg = dot < 0 ? name : name.slice(0, dot);
  if (pkg === 'main') return mainPackages.filter((p) => nodes.has(p));
  return nodes.has(pkg) ? [pkg] : [];
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The dependency graph step: `go list -deps -json` → graph → DOT, Mermaid and (with
 * Graphviz) SVG, with the packages that appear in findings highlighted.
 */
import type { Finding } from '../core/model.js';
import { buildDepGraph, type DepGraph } from './deps-graph.js';
import { listPackages } from './deps-list.js';
import type { GoPackagesOptions } from './go-packages.js';
import { renderDot, renderMermaid } from './deps-render.js';
import { renderSvg } from './deps-svg.js';

export { buildDepGraph, STD_NODE } from './deps-graph.js';
export type { DepGraph, DepGraphOptions, DepNode } from './deps-graph.js';
export { listPackages, readGoListFile } from './deps-list.js';
export type { ListedPackage } from './deps-list.js';
export { renderDot, renderMermaid } from './deps-render.js';
export { renderSvg } from './deps-svg.js';

export interface DependencyGraphOptions extends GoPackagesOptions {
  std?: 'fold' | 'drop';
  /** Findings whose functions name the packages to highlight. */
  findings?: readonly Finding[];
  /** Render SVG with `dot` (default true; throws ToolMissingError when dot is missing). */
  svg?: boolean;
}

export interface DependencyGraphResult {
  graph: DepGraph;
  /** `go list` output: keep it as the artifact the graph came from. */
  listPath: string;
  dot: string;
  mermaid: string;
  /** Absolute path of the SVG file, when rendered. */
  svgPath?: string;
}

/** Function names of findings, for {@link buildDepGraph}'s `highlight`. */
export function findingFunctions(findings: readonly Finding[]): string[] {
  return [...new Set(findings.map((f) => f.location?.func).filter((f): f is string => !!f))];
}

/** Lists the packages, builds the graph and renders it. */
export async function dependencyGraph(options: DependencyGraphOptions): Promise<DependencyGraphResult> {
  const { artifactPath, packages } = await listPackages(options);
  const graph = buildDepGraph(packages, { std: options.std, highlight: findingFunctions(options.findings ?? []) });
  const dot = renderDot(graph);
  const svgPath =
    options.svg === false
      ? undefined
      : await renderSvg(dot, { runner: options.runner, outputDir: options.outputDir, signal: options.signal });
  return { graph, listPath: artifactPath, dot, mermaid: renderMermaid(graph), svgPath };
}

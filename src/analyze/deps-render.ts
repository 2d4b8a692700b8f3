/**
 * Dependency graph → Graphviz DOT and Mermaid text. Import paths are data: every id and
 * label is quoted/escaped so a hostile path cannot change the graph's structure.
 */
import type { DepGraph, DepNode } from './deps-graph.js';

/** Fill colours: the module's packages, dependencies, std, and packages with findings. */
const FILL: Record<DepNode['kind'] | 'highlighted', string> = {
  module: '#cfe8fc',
  dependency: '#e8e8e8',
  std: '#d8f0d0',
  highlighted: '#ffb3b3',
};

/**
 * DOT (`digraph deps`, left to right). Packages named by findings get the highlight
 * fill and a thicker red border. Strings are DOT double-quoted strings: `"` and `\`
 * escaped, newlines turned into `\n` (Graphviz reads those as line breaks in labels).
 */
export function renderDot(graph: DepGraph): string {
  const lines = [
    'digraph deps {',
    '  rankdir=LR;',
    '  node [shape=box, style="rounded,filled", fontname="Helvetica"];',
    '  edge [arrowsize=0.6];',
  ];
  for (const node of graph.nodes) {
    const fill = node.highlighted ? FILL.highlighted : FILL[node.kind];
    const extra = node.highlighted ? ', color="#cc0000", penwidth=2' : '';
    lines.push(
      `  ${dotString(node.id)} [label=${dotString(node.id === 'std' ? 'standard library' : node.id)}, fillcolor="${fill}"${extra}];`,
    );
  }
  for (const [from, to] of graph.edges) lines.push(`  ${dotString(from)} -> ${dotString(to)};`);
  lines.push('}');
  return lines.join('\n') + '\n';
}

/**
 * Mermaid flowchart (`graph LR`). Ids are generated (`p0`, `p1`, …) since Mermaid ids
 * allow only a few characters; labels are quoted with `"` written as `#quot;` and
 * other markup-significant characters as Mermaid entity codes. Highlighted packages get
 * `classDef finding`.
 */
export function renderMermaid(graph: DepGraph): string {
  const ids = new Map(graph.nodes.map((n, i) => [n.id, `p${i}`]));
  const lines = ['graph LR'];
  for (const node of graph.nodes) {
    lines.push(`  ${ids.get(node.id)}["${mermaidLabel(node.id === 'std' ? 'standard library' : node.id)}"]`);
  }
  for (const [from, to] of graph.edges) {
    const a = ids.get(from);
    const b = ids.get(to);
    if (a && b) lines.push(`  ${a} --> ${b}`);
  }
  lines.push(`  classDef module fill:${FILL.module},stroke:#336;`);
  lines.push(`  classDef finding fill:${FILL.highlighted},stroke:#c00,stroke-width:2px;`);
  const modules = graph.nodes.filter((n) => n.kind === 'module' && !n.highlighted).map((n) => ids.get(n.id));
  const highlighted = graph.nodes.filter((n) => n.highlighted).map((n) => ids.get(n.id));
  if (modules.length > 0) lines.push(`  class ${modules.join(',')} module;`);
  if (highlighted.length > 0) lines.push(`  class ${highlighted.join(',')} finding;`);
  return lines.join('\n') + '\n';
}

function dotString(text: string): string {
  return `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\r?\n/g, '\\n')}"`;
}

/** Mermaid entity codes (`#quot;`, `#35;` …) work inside quoted labels. */
function mermaidLabel(text: string): string {
  return text.replace(/[#"<>&`\r\n]/g, (c) => (c === '"' ? '#quot;' : c === '\n' || c === '\r' ? ' ' : `#${c.charCodeAt(0)};`));
}

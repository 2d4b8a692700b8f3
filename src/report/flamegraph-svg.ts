/**
 * A static flame graph of a profile as one self-contained SVG (no script, no external
 * fonts or styles): the root ("all") at the bottom, callers below callees, each frame as
 * wide as its value. No standard Go tool writes such a file (`go tool pprof -http` only
 * serves an interactive one), so the postmortem gets this one.
 */
import { formatPprofValue } from '../core/pprof-units.js';
import { isUserFunction } from '../core/model.js';

/** One merged frame: the same function reached through the same callers. */
export interface FlameNode {
  name: string;
  value: number;
  children: ReadonlyMap<string, FlameNode>;
}

/** What is drawn: the merged stacks of one sample type (src/analyze/flame-tree.ts builds it). */
export interface FlameGraphInput {
  root: FlameNode;
  /** The sample type's name and unit, e.g. `cpu` / `nanoseconds`. */
  sampleType: string;
  unit: string;
}

export interface FlameGraphOptions {
  title?: string;
  /** Total width in pixels; default 1200. */
  width?: number;
}

const FRAME_HEIGHT = 17;
const PAD = 10;
const TITLE_SPACE = 30;
const CHAR_WIDTH = 7; // ~ 12px monospace
/** Frames narrower than this are not drawn (their value still counts in their caller's width). */
const MIN_WIDTH = 0.3;

/** Function names are data: escape XML's five specials and replace characters XML cannot carry. */
export function escapeXml(text: string): string {
  return text
    .replace(
      /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
      '\uFFFD',
    )
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

/** Warm colours for the service's code, blue-grey for the runtime, green for the rest of std; shade varies by name. */
export function frameColour(name: string): string {
  let h = 0;
  for (let i = 0; i < name.length; i++) h = (h * 31 + name.charCodeAt(i)) >>> 0;
  const shade = h % 40;
  if (name === 'all') return 'rgb(200,200,200)';
  if (isUserFunction(name)) return `rgb(${215 + (shade % 40)},${100 + shade * 2},40)`;
  if (name.startsWith('runtime.') || name.startsWith('runtime/') || name.startsWith('internal/runtime'))
    return `rgb(${110 + shade},${140 + shade},${190 + shade})`;
  return `rgb(${90 + shade},${170 + shade},${90 + shade})`;
}

/** The name cut to what fits in `width` px, with `..` when cut; '' when not even 3 characters fit. */
function fitName(name: string, width: number): string {
  const fit = Math.floor((width - 6) / CHAR_WIDTH);
  if (fit < 3) return '';
  return name.length <= fit ? name : `${name.slice(0, fit - 2)}..`;
}

function depthOf(node: FlameNode): number {
  let d = 0;
  for (const c of node.children.values()) d = Math.max(d, depthOf(c));
  return d + 1;
}

/**
 * Renders the flame graph SVG: one `<g>` per frame holding a `<title>` (name, value
 * and share of the total, for hover), a `<rect>` whose width is value/total of the
 * drawing width, and the name truncated to fit. Siblings are ordered by name, as flame
 * graphs are (x order carries no time meaning).
 */
export function renderFlameGraphSvg(graph: FlameGraphInput, options: FlameGraphOptions = {}): string {
  const { root, unit, sampleType: type } = graph;
  const width = options.width ?? 1200;
  const depth = depthOf(root);
  const height = TITLE_SPACE + depth * FRAME_HEIGHT + PAD * 2;
  const usable = width - PAD * 2;
  const scale = root.value > 0 ? usable / root.value : 0;
  const out: string[] = [];
  const title = options.title ?? `Flame graph (${type})`;
  out.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="12">`,
    `<rect x="0" y="0" width="${width}" height="${height}" fill="#fdfdf6"/>`,
    `<text x="${width / 2}" y="20" text-anchor="middle" font-size="15">${escapeXml(title)}</text>`,
  );
  const draw = (node: FlameNode, x: number, level: number) => {
    const w = node.value * scale;
    if (w < MIN_WIDTH) return;
    const y = height - PAD - (level + 1) * FRAME_HEIGHT;
    const pct = root.value > 0 ? ((node.value / root.value) * 100).toFixed(2) : '0.00';
    const label = fitName(node.name, w);
    out.push(
      `<g class="frame"><title>${escapeXml(`${node.name} (${formatPprofValue(node.value, unit)}, ${pct}%)`)}</title>` +
        `<rect x="${x.toFixed(2)}" y="${y}" width="${w.toFixed(2)}" height="${FRAME_HEIGHT - 1}" rx="2" fill="${frameColour(node.name)}"/>` +
        (label ? `<text x="${(x + 3).toFixed(2)}" y="${y + FRAME_HEIGHT - 5}">${escapeXml(label)}</text>` : '') +
        `</g>`,
    );
    let cx = x;
    for (const child of [...node.children.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      draw(child, cx, level + 1);
      cx += child.value * scale;
    }
  };
  if (root.value > 0) draw(root, PAD, 0);
  else out.push(`<text x="${width / 2}" y="${height / 2}" text-anchor="middle">no samples of ${escapeXml(type)}</text>`);
  out.push('</svg>');
  return out.join('\n') + '\n';
}

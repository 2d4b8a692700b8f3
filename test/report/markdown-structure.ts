/**
 * Reads a rendered report back with a CommonMark parser (the `commonmark` package, the spec's
 * reference implementation in JS) so tests can assert on the document a reader's renderer
 * would build, not on the raw text. GFM tables are not CommonMark: they are checked on the raw
 * lines with GFM's cell-splitting rule (a `|` not escaped by a backslash separates cells).
 */
import { Parser, type Node } from 'commonmark';

export function parseMarkdown(markdown: string): Node {
  return new Parser().parse(markdown);
}

function nodes(doc: Node): Node[] {
  const out: Node[] = [];
  const walker = doc.walker();
  let event = walker.next();
  while (event) {
    if (event.entering) out.push(event.node);
    event = walker.next();
  }
  return out;
}

/** Plain text of an inline container: text and code literals, breaks as spaces. */
export function inlineText(node: Node): string {
  let text = '';
  for (const n of nodes(node)) {
    if (n.type === 'text' || n.type === 'code') text += n.literal ?? '';
    else if (n.type === 'softbreak' || n.type === 'linebreak') text += ' ';
  }
  return text;
}

export function headings(doc: Node): { level: number; text: string }[] {
  return nodes(doc)
    .filter((n) => n.type === 'heading')
    .map((n) => ({ level: n.level, text: inlineText(n) }));
}

/** The block structure: every block node's type (with heading level), in document order. */
export function blockSkeleton(doc: Node): string[] {
  const inline = new Set(['text', 'softbreak', 'linebreak', 'code', 'emph', 'strong', 'link', 'image', 'html_inline', 'custom_inline']);
  return nodes(doc)
    .filter((n) => !inline.has(n.type))
    .map((n) => (n.type === 'heading' ? `heading${n.level}` : n.type === 'code_block' ? `code_block:${n.info ?? ''}` : n.type));
}

/** Every link or image node, with its destination. */
export function linksAndImages(doc: Node): { type: string; destination: string }[] {
  return nodes(doc)
    .filter((n) => n.type === 'link' || n.type === 'image')
    .map((n) => ({ type: n.type, destination: n.destination ?? '' }));
}

/** Raw HTML the renderer would pass through (inline or block). */
export function htmlNodes(doc: Node): string[] {
  return nodes(doc)
    .filter((n) => n.type === 'html_inline' || n.type === 'html_block')
    .map((n) => n.literal ?? '');
}

export function codeBlocks(doc: Node): { info: string; literal: string }[] {
  return nodes(doc)
    .filter((n) => n.type === 'code_block')
    .map((n) => ({ info: n.info ?? '', literal: n.literal ?? '' }));
}

/** Inline code spans' contents. */
export function codeSpans(doc: Node): string[] {
  return nodes(doc)
    .filter((n) => n.type === 'code')
    .map((n) => n.literal ?? '');
}

/** Cells of a GFM table row: split on `|` not escaped by a backslash, outer pipes dropped. */
export function tableCells(row: string): string[] {
  const cells: string[] = [];
  let cell = '';
  for (let i = 0; i < row.length; i++) {
    const c = row[i]!;
    if (c === '\\' && i + 1 < row.length) {
      cell += c + row[i + 1];
      i++;
    } else if (c === '|') {
      cells.push(cell);
      cell = '';
    } else {
      cell += c;
    }
  }
  cells.push(cell);
  // `| a | b |` splits into ['', ' a ', ' b ', '']: the outer pipes are delimiters only.
  return cells.slice(1, -1).map((s) => s.trim());
}

/**
 * GFM tables in the raw Markdown, outside code blocks: runs of lines starting with `|` whose
 * second line is a delimiter row. Each table is its rows' cell lists.
 */
export function gfmTables(markdown: string, doc: Node = parseMarkdown(markdown)): string[][][] {
  const lines = markdown.split('\n');
  const inCode = new Set<number>();
  for (const n of nodes(doc)) {
    if (n.type !== 'code_block' || !n.sourcepos) continue;
    for (let l = n.sourcepos[0][0]; l <= n.sourcepos[1][0]; l++) inCode.add(l - 1);
  }
  const tables: string[][][] = [];
  let current: string[][] | null = null;
  lines.forEach((line, i) => {
    if (!inCode.has(i) && line.startsWith('|')) {
      current ??= [];
      current.push(tableCells(line));
    } else {
      if (current && current.length >= 2 && /^\|( *:?-+:? *\|)+$/.test(lines[i - current.length + 1] ?? '')) tables.push(current);
      current = null;
    }
  });
  if (current && (current as string[][]).length >= 2) tables.push(current);
  return tables;
}

/** Every image node: its destination and its alt text (the description's plain text). */
export function images(doc: Node): { destination: string; alt: string }[] {
  return nodes(doc)
    .filter((n) => n.type === 'image')
    .map((n) => ({ destination: n.destination ?? '', alt: inlineText(n) }));
}

/** The top-level blocks after the heading reading `text`, up to the next heading of the same or a higher level. */
export function blocksUnder(doc: Node, text: string): Node[] {
  const out: Node[] = [];
  let level = 0;
  for (let n = doc.firstChild; n; n = n.next) {
    if (level > 0 && n.type === 'heading' && n.level <= level) break;
    if (level > 0) out.push(n);
    else if (n.type === 'heading' && inlineText(n) === text) level = n.level;
  }
  return out;
}

/** How a GFM table cell reads once rendered (its escapes resolved). */
export function cellText(cell: string): string {
  return inlineText(parseMarkdown(cell));
}

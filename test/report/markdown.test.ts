import { describe, expect, it } from 'vitest';
import { markdownCell, markdownCode, markdownCodeBlock, markdownInline } from '../../src/report/markdown.ts';
import {
  blockSkeleton,
  codeBlocks,
  codeSpans,
  gfmTables,
  htmlNodes,
  inlineText,
  linksAndImages,
  parseMarkdown,
} from './markdown-structure.ts';

/** Text that would change a document's structure if printed raw. */
const HOSTILE = [
  '# Heading',
  'line one\n# Heading',
  'text\n\n## Second',
  '[x](javascript:alert(1))',
  '![](https://evil/?d=secret)',
  '![alt][ref]\n\n[ref]: https://evil/',
  '<https://evil/>',
  '<img src=x onerror=alert(1)>',
  '<!-- comment -->',
  'a | b | c',
  '> quoted',
  '- item',
  '+ item',
  '* item',
  '1. ordered',
  '2) ordered',
  '---',
  '===',
  'title ##',
  '#',
  '    indented code',
  '```\nfenced\n```',
  '~~~\nfenced\n~~~',
  '**bold** _em_ *em* __strong__ ~~strike~~',
  'snake_case_name and main.(*stats).recordHit',
  'trailing backslash \\',
  'escaped \\* star and \\[bracket\\]',
  '&amp; &#x27; &copy; &#39; and a plain & ampersand',
  'tab\tseparated',
  'hard  \nbreak',
  'CRLF\r\n# Heading and CR\r# Heading',
  '{{secret}} {{{raw}}}',
  '`code` and ``double``',
];

/** How the text reads once rendered: newlines become spaces, runs of blanks collapse, ends trimmed. */
const oneLine = (text: string) =>
  text
    .replace(/\r\n|\r|\n/g, ' ')
    .replace(/[ \t]+/g, ' ')
    .trim();

describe('markdownInline (md)', () => {
  it.each(HOSTILE)('keeps %j one paragraph of plain text that reads as the input', (input) => {
    const doc = parseMarkdown(`${markdownInline(input)}\n`);
    expect(blockSkeleton(doc)).toEqual(['document', 'paragraph']);
    expect(linksAndImages(doc)).toEqual([]);
    expect(htmlNodes(doc)).toEqual([]);
    // No emphasis or code span either: the paragraph holds text only.
    expect(inlineText(doc)).toBe(oneLine(input));
  });

  it('keeps a heading to its text, trailing hashes included', () => {
    for (const title of ['leak\n# Heading', 'issue #', 'C# and F#', '## x ##']) {
      const doc = parseMarkdown(`### Finding 1: ${markdownInline(title)}\n`);
      expect(blockSkeleton(doc)).toEqual(['document', 'heading3']);
      expect(inlineText(doc)).toBe(`Finding 1: ${oneLine(title)}`);
    }
  });

  it('is safe inside a list item, where a leading > or - would open a nested block', () => {
    for (const text of ['> quote', '- nested', '1. nested', '# h']) {
      const doc = parseMarkdown(`- ${markdownInline(text)}\n`);
      expect(blockSkeleton(doc)).toEqual(['document', 'list', 'item', 'paragraph']);
      expect(inlineText(doc)).toBe(text);
    }
  });

  it('leaves ordinary Go identifiers readable in the raw Markdown', () => {
    expect(markdownInline('main.renderExport leaks goroutines')).toBe('main.renderExport leaks goroutines');
    expect(markdownInline('net/http.(*conn).serve')).toBe('net/http.(\\*conn).serve');
    expect(markdownInline('snake_case')).toBe('snake_case');
  });

  it('prints null and undefined as nothing and numbers as text', () => {
    expect(markdownInline(null)).toBe('');
    expect(markdownInline(undefined)).toBe('');
    expect(markdownInline(42)).toBe('42');
  });
});

describe('markdownCell (cell)', () => {
  it.each(HOSTILE)('keeps a table row at three columns with %j in the middle cell', (input) => {
    const markdown = `| a | b | c |\n| --- | --- | --- |\n| x | ${markdownCell(input)} | z |\n`;
    const tables = gfmTables(markdown);
    expect(tables).toHaveLength(1);
    expect(tables[0]!.map((row) => row.length)).toEqual([3, 3, 3]);
    const doc = parseMarkdown(markdown);
    expect(linksAndImages(doc)).toEqual([]);
    expect(htmlNodes(doc)).toEqual([]);
  });
});

describe('markdownCode (code)', () => {
  it.each([
    'main.(*stats).recordHit',
    'a ` b',
    '``double`` inside',
    '`starts with a backtick',
    'ends with a backtick`',
    ' padded ',
    '[x](javascript:alert(1)) <b> &amp; | *',
  ])('shows %j verbatim in one code span', (input) => {
    const doc = parseMarkdown(`- ${markdownCode(input)}\n`);
    expect(codeSpans(doc)).toEqual([input]);
    expect(linksAndImages(doc)).toEqual([]);
  });

  it('turns newlines into spaces so the next line cannot start a block', () => {
    const doc = parseMarkdown(`${markdownCode('a\n# Heading')}\n`);
    expect(blockSkeleton(doc)).toEqual(['document', 'paragraph']);
    expect(codeSpans(doc)).toEqual(['a # Heading']);
  });

  it('prints nothing for an empty value', () => {
    expect(markdownCode('')).toBe('');
  });
});

describe('markdownCodeBlock (codeblock)', () => {
  it.each([
    ['a race report', '==================\nWARNING: DATA RACE\nRead at 0x00c000014128 by goroutine 7:\n  main.(*stats).recordHit()\n'],
    ['a triple backtick', 'before\n```\n# Heading\n```\nafter'],
    ['a long backtick run', 'x ````````` y\n``````````'],
    ['tildes', '~~~\nnot a fence\n~~~'],
    ['quotes and ampersands', `it's "quoted" & <tagged> &amp; already`],
    ['{{secret}}', '{{secret}} {{{raw}}} {{> partial}}'],
    ['indentation and tabs', '\tindented\n    four spaces\n'],
    ['an empty value', ''],
  ])('shows %s exactly as given', (_name, input) => {
    const doc = parseMarkdown(`${markdownCodeBlock(input, 'text')}\n\nafter the block\n`);
    const blocks = codeBlocks(doc);
    expect(blocks).toHaveLength(1);
    const expected = input === '' || input.endsWith('\n') ? input : `${input}\n`;
    expect(blocks[0]).toEqual({ info: 'text', literal: expected });
    expect(blockSkeleton(doc)).toEqual(['document', 'code_block:text', 'paragraph']);
  });

  it('writes the characters themselves, never HTML entities', () => {
    const block = markdownCodeBlock(`it's a & b <c>`);
    expect(block).toContain(`it's a & b <c>`);
    expect(block).not.toMatch(/&#x27;|&amp;|&lt;/);
  });

  it('uses a fence one longer than the longest backtick run, at least three', () => {
    expect(markdownCodeBlock('plain').split('\n')[0]).toBe('```');
    expect(markdownCodeBlock('a ````` b').split('\n')[0]).toBe('``````');
  });

  it('keeps the info string to one safe word', () => {
    expect(markdownCodeBlock('x', 'diff').split('\n')[0]).toBe('```diff');
    expect(markdownCodeBlock('x', 'js` onload').split('\n')[0]).toBe('```js');
  });

  it('writes CRLF and lone CR line endings as LF, as a CommonMark reader would read them', () => {
    const doc = parseMarkdown(`${markdownCodeBlock('a\r\nb\rc')}\n`);
    expect(codeBlocks(doc)[0]!.literal).toBe('a\nb\nc\n');
  });
});

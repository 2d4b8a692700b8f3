/**
 * Dependency graph from real `go list -deps -json` output (captured from Go 1.26 and
 * Go 1.23 by test/fixtures/captured/capture-escapes.sh, and live), rendered to DOT (read
 * back by the real Graphviz), SVG and Mermaid.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { execa } from 'execa';
import { describe, expect, it } from 'vitest';
import {
  buildDepGraph,
  dependencyGraph,
  readGoListFile,
  renderDot,
  renderMermaid,
  renderSvg,
  type DepGraph,
} from '../../src/analyze/deps.ts';
import { JsonObjectSplitter } from '../../src/analyze/deps-json-stream.ts';
import { ToolError, ToolMissingError } from '../../src/core/errors.ts';
import { createRunner } from '../../src/exec/create-runner.ts';
import type { Finding } from '../../src/core/model.ts';
import { hasTool } from '../helpers/tools.ts';
import { ESCAPES_DIR } from './escape-support.ts';
import { CAPTURED_VERSIONS, GO_PROGRAMS, captured, tempDir } from './support.ts';

const HAS_DOT = hasTool('dot', ['-V']);

const finding = (func: string): Finding => ({
  kind: 'escape',
  title: 't',
  severity: 'info',
  location: { func },
  metrics: {},
  artifactIds: [],
});

/** Titles of the nodes (or edges) graphviz drew, from the SVG's `<g class="node|edge"><title>`. */
function svgTitles(svg: string, kind: 'node' | 'edge' = 'node'): string[] {
  return [...svg.matchAll(new RegExp(`class="${kind}">\\s*<title>([^<]*)</title>`, 'g'))].map((m) =>
    m[1]!
      .replace(/&#45;/g, '-')
      .replace(/&gt;/g, '>')
      .replace(/&lt;/g, '<')
      .replace(/&quot;/g, '"')
      .replace(/&#92;/g, '\\')
      .replace(/&amp;/g, '&'),
  );
}

describe.each(CAPTURED_VERSIONS)('deps captured from %s', (version) => {
  it('builds the module graph with std folded into one node', async () => {
    const packages = await readGoListFile(captured('deps-escapes', version, 'json'));
    const graph = buildDepGraph(packages);
    expect(graph.nodes.map((n) => [n.id, n.kind])).toEqual([
      ['example.com/escapes', 'module'],
      ['example.com/escapes/store', 'module'],
      ['std', 'std'],
    ]);
    expect(graph.edges).toEqual([
      ['example.com/escapes', 'example.com/escapes/store'],
      ['example.com/escapes', 'std'],
    ]);
    // Every std package of the list is behind the one node: none leaks in as a node of its own.
    expect(packages.filter((p) => p.Standard).length).toBeGreaterThan(20);
    expect(buildDepGraph(packages, { std: 'drop' }).nodes.map((n) => n.id)).toEqual(['example.com/escapes', 'example.com/escapes/store']);
  });

  it('highlights the packages findings point into (main.* → the main package)', async () => {
    const packages = await readGoListFile(captured('deps-escapes', version, 'json'));
    const graph = buildDepGraph(packages, { highlight: ['main.describe'] });
    expect(graph.nodes.filter((n) => n.highlighted).map((n) => n.id)).toEqual(['example.com/escapes']);
    const byPath = buildDepGraph(packages, { highlight: ['example.com/escapes/store.(*Store).Put', 'runtime.gopark'] });
    expect(byPath.nodes.filter((n) => n.highlighted).map((n) => n.id)).toEqual(['example.com/escapes/store']);

    const mermaid = renderMermaid(graph);
    expect(mermaid.split('\n')[0]).toBe('graph LR');
    expect(mermaid).toContain('p0["example.com/escapes"]');
    expect(mermaid).toMatch(/^ {2}class p0 finding;$/m);
    expect(mermaid).toContain('p0 --> p1');
  });

  it('reads the demo service: one main package importing only std', async () => {
    const graph = buildDepGraph(await readGoListFile(captured('deps-demo-service', version, 'json')), { highlight: ['main.renderExport'] });
    expect(graph.nodes.map((n) => [n.id, n.highlighted])).toEqual([
      ['example.com/demo-service', true],
      ['std', false],
    ]);
  });
});

describe('renderDot and renderMermaid with hostile import paths', () => {
  const hostile: DepGraph = {
    nodes: [
      { id: 'example.com/a"];x->y;//', kind: 'module', highlighted: true },
      { id: 'example.com/b\\c\n# h', kind: 'dependency', highlighted: false },
      { id: 'std', kind: 'std', highlighted: false },
    ],
    edges: [
      ['example.com/a"];x->y;//', 'example.com/b\\c\n# h'],
      ['example.com/a"];x->y;//', 'std'],
    ],
  };

  it.skipIf(!HAS_DOT)('DOT stays three nodes and two edges when graphviz reads it', async () => {
    const { stdout } = await execa('dot', ['-Tsvg'], { input: renderDot(hostile) });
    expect(svgTitles(stdout)).toHaveLength(3);
    expect(svgTitles(stdout)[0]).toBe('example.com/a"];x->y;//');
    expect(svgTitles(stdout, 'edge')).toHaveLength(2);
    expect(stdout).toContain('#ffb3b3');
  });

  it('Mermaid ids are generated and labels carry no raw quote, bracket or newline', () => {
    const lines = renderMermaid(hostile).trimEnd().split('\n');
    // header, 3 nodes, 2 edges, 2 classDefs, the finding class (no unhighlighted module package).
    expect(lines).toHaveLength(1 + 3 + 2 + 2 + 1);
    expect(lines[8]).toBe('  class p0 finding;');
    for (const line of lines.slice(1, 4)) expect(line).toMatch(/^ {2}p\d+\["[^"\n<>]*"\]$/);
    expect(lines.slice(4, 6)).toEqual(['  p0 --> p1', '  p0 --> p2']);
  });
});

describe('go list output streaming', () => {
  it('splits concatenated objects across chunk boundaries, braces inside strings included', () => {
    const text = '{"ImportPath":"a{","Imports":["}b"]}\n{"ImportPath":"c\\"}"}\n';
    const splitter = new JsonObjectSplitter();
    const objects = [...text].flatMap((c) => splitter.push(c));
    splitter.end();
    expect(objects).toEqual([{ ImportPath: 'a{', Imports: ['}b'] }, { ImportPath: 'c"}' }]);
  });

  it('refuses truncated output and text between objects', () => {
    const truncated = new JsonObjectSplitter();
    truncated.push('{"ImportPath":"a"}\n{"ImportPath":');
    expect(() => truncated.end()).toThrow(/truncated/);
    expect(() => new JsonObjectSplitter().push('go: warning\n{}')).toThrow(ToolError);
  });
});

describe('dependencyGraph live', () => {
  it.skipIf(!HAS_DOT)('lists, highlights and renders the escapes module to SVG', async () => {
    const result = await dependencyGraph({
      dir: ESCAPES_DIR,
      runner: createRunner(),
      outputDir: tempDir('deps'),
      findings: [finding('example.com/escapes/store.New')],
    });
    expect(result.graph.nodes.filter((n) => n.highlighted).map((n) => n.id)).toEqual(['example.com/escapes/store']);
    const svg = readFileSync(result.svgPath!, 'utf8');
    expect(svgTitles(svg).sort()).toEqual(['example.com/escapes', 'example.com/escapes/store', 'std']);
    expect(svgTitles(svg, 'edge').sort()).toEqual(['example.com/escapes->example.com/escapes/store', 'example.com/escapes->std']);
    expect(readFileSync(result.listPath, 'utf8')).toContain('"ImportPath": "example.com/escapes/store"');
  });

  it('shows third-party packages as dependencies (module cache, no network)', async () => {
    const result = await dependencyGraph({
      dir: join(GO_PROGRAMS, 'loggers'),
      packages: ['./zap'],
      runner: createRunner(),
      outputDir: tempDir('deps'),
      svg: false,
      std: 'drop',
    });
    const kinds = new Map(result.graph.nodes.map((n) => [n.id, n.kind]));
    expect(kinds.get('example.com/loggers/zap')).toBe('module');
    expect(kinds.get('go.uber.org/zap')).toBe('dependency');
    expect(result.graph.edges).toContainEqual(['example.com/loggers/zap', 'go.uber.org/zap']);
    expect(result.svgPath).toBeUndefined();
  });

  it('names dot and how to install it when graphviz is missing', async () => {
    const err = await renderSvg('digraph{}', {
      runner: createRunner(),
      outputDir: tempDir('deps'),
      env: { PATH: tempDir('empty-path') },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ToolMissingError);
    expect((err as ToolMissingError).message).toBe('dot not found on PATH');
    expect((err as ToolMissingError).hint).toContain('graphviz');
  });

  it("throws ToolError with go list's message file for a directory outside any module", async () => {
    const err = await dependencyGraph({ dir: tempDir('no-module'), runner: createRunner(), outputDir: tempDir('deps'), svg: false }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ToolError);
    expect(readFileSync((err as ToolError).artifactPath!, 'utf8')).toMatch(/main module|go\.mod/);
  });
});

/**
 * Escape analysis on real compiler output: captured from Go 1.26 and Go 1.23 for
 * test/fixtures/go/escapes and examples/demo-service (test/fixtures/captured/capture-escapes.sh),
 * and live through the Runner. Expected sites come from `// ESC:` markers in the Go source;
 * exact line sets are never compared across versions (they differ, go-tools.md §2).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { explainEscape, type EscapeCategory } from '../../src/analyze/escape-category.ts';
import { escapeFindings } from '../../src/analyze/escape-findings.ts';
import { parseEscapeFile, parseEscapeOutput, type EscapeEntry } from '../../src/analyze/escape-parse.ts';
import { moduleRelativeMapper } from '../../src/analyze/escape-paths.ts';
import { ESCAPES_DIR, escapeMarkers, lineOf, marker } from './escape-support.ts';
import { CAPTURED_VERSIONS, ROOT, captured } from './support.ts';

const DEMO_DIR = join(ROOT, 'examples/demo-service');
const EXPECTED: Record<string, EscapeCategory> = {
  returned: 'returned',
  'returned-literal': 'returned',
  closure: 'closure',
  dynamic: 'dynamic-size',
  large: 'too-large',
  interface: 'interface',
  global: 'global',
  channel: 'channel',
  // Stored into a map the Store owns: none of the named categories, and said so.
  stored: 'other',
};

async function capturedEntries(prog: 'escapes' | 'demo-service', version: string): Promise<EscapeEntry[]> {
  const modulePath = prog === 'escapes' ? 'example.com/escapes' : 'example.com/demo-service';
  return parseEscapeFile(captured(`escape-${prog}`, version), { mapPath: moduleRelativeMapper({ modulePath }) });
}

const heapSitesAt = (entries: EscapeEntry[], file: string, line: number) =>
  entries.filter((e) => e.file === file && e.line === line && (e.kind === 'moved-to-heap' || e.kind === 'escapes-to-heap'));

describe.each(CAPTURED_VERSIONS)('escape analysis captured from %s', (version) => {
  it('explains every marked site in its category, at a module-relative file:line:col', async () => {
    const entries = await capturedEntries('escapes', version);
    for (const m of escapeMarkers()) {
      const sites = heapSitesAt(entries, m.file, m.line);
      if (m.marker === 'dynamic' && sites.length === 0) {
        // Go ≥ 1.25 keeps small variable-size make on the stack (a 32-byte buffer, heap only
        // when larger at run time): the compiler then reports "does not escape".
        expect(
          entries.some((e) => e.file === m.file && e.line === m.line && e.kind === 'does-not-escape'),
          `${version} ${m.marker}`,
        ).toBe(true);
        continue;
      }
      expect(sites.length, `${version}: a heap site at ${m.file}:${m.line} (${m.marker})`).toBeGreaterThan(0);
      expect(
        sites.map((s) => explainEscape(s).category),
        `${version} ${m.marker}`,
      ).toContain(EXPECTED[m.marker]);
      for (const s of sites) {
        // The column (1-based, bytes) points at the expression the message names; for a
        // call such as make(…) or new(…) the compiler's position is its opening parenthesis,
        // and for a composite literal without & its opening brace.
        const call = /^(\w+)\(/.exec(s.subject) ?? /^([^&].*)\{(?:\.\.\.)?\}$/.exec(s.subject);
        const where = `${s.subject} at col ${s.col} of ${JSON.stringify(m.text)}`;
        if (call) expect(m.text.slice(0, s.col).endsWith(`${call[1]}${s.subject.charAt(call[1]!.length)}`), where).toBe(true);
        else expect(m.text.slice(s.col - 1).startsWith(s.subject.split(/[{(]/)[0]!), where).toBe(true);
        expect(s.inModule).toBe(true);
      }
    }
  });

  it('names the enclosing function the way pprof does', async () => {
    const entries = await capturedEntries('escapes', version);
    const findings = escapeFindings(entries, [7]);
    const at = (name: string) => {
      const m = marker(name);
      return findings.filter((f) => f.location?.file === m.file && f.location.line === m.line);
    };
    expect(at('interface').map((f) => f.location?.func)).toEqual(['main.describe', 'main.describe', 'main.describe']);
    expect(at('stored')[0]?.location?.func).toBe('example.com/escapes/store.(*Store).Put');
    expect(at('returned')[0]?.location?.func).toBe('main.newPoint');
    expect(at('interface')[0]?.title).toContain('(stored in an interface: argument to fmt.Sprint)');
    expect(findings.every((f) => f.kind === 'escape' && f.artifactIds[0] === 7)).toBe(true);
  });

  it('gives no finding for "does not escape", leaking params or inlining lines', async () => {
    const entries = await capturedEntries('escapes', version);
    const findings = escapeFindings(entries, []);
    const sumLine = lineOf(ESCAPES_DIR, 'main.go', 'func sum(');
    expect(entries.some((e) => e.kind === 'does-not-escape' && e.subject === 'xs' && e.line === sumLine)).toBe(true);
    expect(findings.some((f) => f.location?.line === sumLine)).toBe(false);
    expect(entries.some((e) => e.kind === 'inlining-call')).toBe(true);
    expect(entries.some((e) => e.kind === 'leaking-param' && e.subject === 'k')).toBe(true);
    const inliningLines = new Set(entries.filter((e) => e.kind === 'inlining-call').map((e) => `${e.file}:${e.line}:${e.col}`));
    const heapAt = new Set(
      entries.filter((e) => e.kind === 'moved-to-heap' || e.kind === 'escapes-to-heap').map((e) => `${e.file}:${e.line}:${e.col}`),
    );
    const onlyInlining = [...inliningLines].filter((p) => !heapAt.has(p));
    expect(onlyInlining.length).toBeGreaterThan(0);
    for (const pos of onlyInlining)
      expect(findings.some((f) => `${f.location?.file}:${f.location?.line}:${f.metrics.col}` === pos)).toBe(false);
  });

  it('maps plain -m output printed relative to the module root (./main.go, store/store.go)', async () => {
    const entries = await parseEscapeFile(captured('escape-escapes-m1', version), {
      mapPath: moduleRelativeMapper({ modulePath: 'example.com/escapes', moduleDir: ESCAPES_DIR, cwd: ESCAPES_DIR }),
    });
    const files = new Set(entries.filter((e) => e.inModule).map((e) => e.file));
    expect([...files].sort()).toEqual(['main.go', 'store/store.go']);
    const m = marker('channel');
    expect(heapSitesAt(entries, m.file, m.line).length).toBeGreaterThan(0);
    // Without -m=2 there is no flow to explain it, and the finding says how to get one.
    expect(explainEscape(heapSitesAt(entries, m.file, m.line)[0]!).reason).toContain('-gcflags=-m=2');
  });

  it("explains why renderExport's buffer lives on the heap in the demo service", async () => {
    const entries = await capturedEntries('demo-service', version);
    const line = lineOf(DEMO_DIR, 'export.go', 'var b bytes.Buffer');
    const b = entries.find((e) => e.kind === 'moved-to-heap' && e.subject === 'b' && e.file === 'export.go' && e.line === line);
    expect(b?.func).toBe('renderExport');
    expect(b?.pkgIsMain).toBe(true);
    expect(explainEscape(b!)).toEqual({ category: 'interface', reason: 'stored in an interface: argument to fmt.Fprintf' });
    expect(
      escapeFindings(entries, []).every(
        (f) => f.location?.file && !f.location.file.startsWith('/') && !f.location.file.includes('example.com'),
      ),
    ).toBe(true);
  });
});

describe('parseEscapeOutput on odd input', () => {
  it('skips build errors and text that is not a diagnostic, keeps the sites', () => {
    const text = [
      '# example.com/x',
      'some banner line',
      'example.com/x/a.go:3:2: moved to heap: v',
      'example.com/x/a.go:9:1: syntax error: unexpected }',
      'C:\\odd:dir/a.go:4:5: q escapes to heap',
      '',
    ].join('\r\n');
    const entries = parseEscapeOutput(text, { mapPath: moduleRelativeMapper({ modulePath: 'example.com/x' }) });
    expect(entries.map((e) => [e.kind, e.subject, e.file, e.line, e.col, e.inModule])).toEqual([
      ['moved-to-heap', 'v', 'a.go', 3, 2, true],
      ['escapes-to-heap', 'q', 'C:\\odd:dir/a.go', 4, 5, false],
    ]);
  });
});

describe('escape findings and secrets', () => {
  it('masks a token inside a string literal that escapes', () => {
    const text = [
      '# example.com/x',
      'example.com/x/a.go:3:6: cannot inline call: function too complex: cost 90 exceeds budget 80',
      'example.com/x/a.go:4:20: "Authorization: Bearer s3cr3tt0ken" escapes to heap',
    ].join('\n');
    const [f] = escapeFindings(parseEscapeOutput(text, { mapPath: moduleRelativeMapper({ modulePath: 'example.com/x' }) }), []);
    expect(f?.title).toContain('example.com/x.call:');
    expect(`${f?.title}\n${f?.detail}`).not.toContain('s3cr3tt0ken');
  });
});

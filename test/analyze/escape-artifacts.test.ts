/**
 * escapeArtifactFindings: what the analyze step gets from stored escape diagnostics and
 * heap profiles (real captures from Go 1.26 and Go 1.23).
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { escapeArtifactFindings } from '../../src/analyze/escape-artifacts.ts';
import { MediaType } from '../../src/core/model.ts';
import type { StoredArtifact } from '../../src/store/store.ts';
import { marker } from './escape-support.ts';
import { CAPTURED_VERSIONS, captured, tempDir } from './support.ts';

const artifact = (id: number, path: string, mediaType: string): StoredArtifact => ({
  id,
  path,
  mediaType,
  sha256: 'x',
  size: 1,
  label: `artifact ${id}`,
  stepRunId: 1,
  actionId: 'a',
  attributes: {},
  createdAt: '2026-01-01T00:00:00Z',
});

describe.each(CAPTURED_VERSIONS)('escapeArtifactFindings (%s)', (version) => {
  it('gives site findings and, with a heap profile, the allocation join pointing at both artifacts', async () => {
    const findings = await escapeArtifactFindings([
      artifact(5, captured('escape-escapes', version), MediaType.goEscape('example.com/escapes')),
      artifact(6, captured('escape-escapes-heap', version, 'pb.gz'), MediaType.pprof('heap')),
    ]);
    const m = marker('global');
    const site = findings.find((f) => f.artifactIds.length === 1 && f.location?.file === m.file && f.location.line === m.line);
    expect(site?.artifactIds).toEqual([5]);
    expect(site?.title).toContain('stored in a global');
    const joined = findings.filter((f) => f.artifactIds.length === 2);
    expect(joined[0]?.title).toMatch(/^main\.describe allocates/);
    expect(joined[0]?.artifactIds).toEqual([5, 6]);
    // The join leads: it says which of the many sites matter.
    expect(findings.slice(0, joined.length)).toEqual(joined);
  });
});

describe('escapeArtifactFindings on bad evidence', () => {
  it('turns an unreadable artifact into a tool-failure finding and ignores other media types', async () => {
    const missing = join(tempDir('escape-artifacts'), 'gone.txt');
    const findings = await escapeArtifactFindings([
      artifact(1, missing, MediaType.goEscape('example.com/x')),
      artifact(2, missing, MediaType.race),
    ]);
    expect(findings.map((f) => [f.kind, f.artifactIds])).toEqual([['tool-failure', [1]]]);
  });
});

describe('escape output without a module parameter (pasted)', () => {
  it.each(CAPTURED_VERSIONS)('infers the module from the package headers (%s)', async (version) => {
    const findings = await escapeArtifactFindings([artifact(9, captured('escape-escapes', version), 'text/x-go-escape')]);
    const m = marker('channel');
    expect(findings.find((f) => f.location?.file === m.file && f.location.line === m.line)?.title).toContain('sent on a channel');
    expect(findings.some((f) => f.location?.file === 'store/store.go')).toBe(true);
  });

  it.each(CAPTURED_VERSIONS)('reads plain -m output printed as ./main.go (%s)', async (version) => {
    const findings = await escapeArtifactFindings([artifact(9, captured('escape-escapes-m1', version), 'text/x-go-escape')]);
    const m = marker('returned');
    expect(findings.find((f) => f.location?.file === 'main.go' && f.location.line === m.line)?.title).toContain('p moved to heap');
  });
});

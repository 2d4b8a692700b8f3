/**
 * The light path `gotriage analyze` takes for goroutine dumps must give exactly what the
 * analyze step (analyzeArtifacts) gives, on real early/late dumps of Go 1.26 and 1.23.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { goroutineArtifactFindings, isGoroutineMediaType } from '../../src/analyze/goroutines-analyze.ts';
import { analyzeArtifacts } from '../../src/analyze/index.ts';
import { MediaType } from '../../src/core/model.ts';
import type { StoredArtifact } from '../../src/store/store.ts';
import { CAPTURED_VERSIONS, captured, tempDir } from './support.ts';

function artifact(id: number, path: string, mediaType: string): StoredArtifact {
  return {
    id,
    sha256: 'x',
    size: 1,
    mediaType,
    path,
    label: `dump ${id}`,
    stepRunId: null,
    actionId: 'goroutines',
    attributes: {},
    createdAt: '',
  };
}

describe.each(CAPTURED_VERSIONS)('goroutineArtifactFindings (%s)', (version) => {
  it('equals analyzeArtifacts for two dumps of a leaking service, growth included', async () => {
    const artifacts = [
      artifact(1, captured('goroutines-debug2-early', version), MediaType.goroutines('2')),
      artifact(2, captured('goroutines-debug2-late', version), MediaType.goroutines('2')),
      artifact(3, captured('goroutines-debug1-late', version), MediaType.goroutines('1')),
    ];
    const light = await goroutineArtifactFindings(artifacts);
    expect(light.some((f) => f.kind === 'goroutine-growth')).toBe(true);
    expect(light).toEqual(await analyzeArtifacts(artifacts));
  });

  it('turns a file that is no dump into the same tool-failure finding', async () => {
    const page = join(tempDir('gotriage-light-'), 'page.html');
    writeFileSync(page, '<html><body>login</body></html>\n');
    const artifacts = [artifact(7, page, MediaType.goroutines('2'))];
    const light = await goroutineArtifactFindings(artifacts);
    expect(light.map((f) => f.title)).toEqual(['could not parse dump 7 (text/x-go-goroutines; debug=2)']);
    expect(light).toEqual(await analyzeArtifacts(artifacts));
  });
});

it('takes only goroutine dumps', () => {
  expect(isGoroutineMediaType(MediaType.goroutines('1'))).toBe(true);
  expect(isGoroutineMediaType(MediaType.race)).toBe(false);
  expect(isGoroutineMediaType(MediaType.pprof('heap'))).toBe(false);
});

import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StoreError } from '../../src/core/errors.ts';
import { MediaType } from '../../src/core/model.ts';
import type { Store } from '../../src/store/store.ts';
import { makeTempDir, openTestStore, reopenStore, sampleIncident, writeSourceFile } from './store-helpers.ts';

const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest('hex');

/** Every file under the artifact dir (temp files included), relative to it. */
function filesUnder(store: Store): string[] {
  if (!existsSync(store.artifactDir)) return [];
  return (readdirSync(store.artifactDir, { recursive: true }) as string[])
    .filter((name) => statSync(join(store.artifactDir, name)).isFile())
    .sort();
}

async function storeWithIncident() {
  const store = openTestStore();
  const incident = await store.createIncident(sampleIncident(), {}, 'gather');
  const step = await store.startStep(incident.id, 'gather');
  return { store, incidentId: incident.id, stepRunId: step.id };
}

describe('addArtifact', () => {
  it('stores the content at <artifactDir>/<sha[0..2]>/<sha>, read-only, and leaves the source', async () => {
    const { incidentId, stepRunId, store: first } = await storeWithIncident();
    const store = first;
    const content = 'goroutine 7 [chan receive, 12 minutes]:\nmain.worker()\n';
    const source = writeSourceFile(content);
    const artifact = await store.addArtifact(incidentId, {
      stepRunId,
      actionId: 'goroutines',
      sourcePath: source,
      mediaType: MediaType.goroutines('2'),
      label: 'dump 1',
    });

    const digest = sha256(content);
    expect(artifact).toMatchObject({
      sha256: digest,
      size: Buffer.byteLength(content),
      mediaType: 'text/x-go-goroutines; debug=2',
      label: 'dump 1',
      stepRunId,
      actionId: 'goroutines',
    });
    expect(artifact.path).toBe(join(store.artifactDir, digest.slice(0, 2), digest));
    expect(readFileSync(artifact.path, 'utf8')).toBe(content);
    expect(statSync(artifact.path).mode & 0o777).toBe(0o444);
    expect(readFileSync(source, 'utf8')).toBe(content);
  });

  it('keeps one file for identical content while each add gets its own row', async () => {
    const { incidentId, stepRunId, store: first } = await storeWithIncident();
    let store = first;
    const a = await store.addArtifact(incidentId, {
      stepRunId,
      actionId: 'heap',
      sourcePath: writeSourceFile('same bytes'),
      mediaType: 'text/plain',
      label: 'instance a',
    });
    const b = await store.addArtifact(incidentId, {
      stepRunId,
      actionId: 'heap',
      sourcePath: writeSourceFile('same bytes'),
      mediaType: 'text/plain',
      label: 'instance b',
    });
    const c = await store.addArtifact(incidentId, {
      stepRunId,
      actionId: 'heap',
      sourcePath: writeSourceFile('other bytes'),
      mediaType: 'text/plain',
      label: 'instance c',
    });
    expect(a.id).not.toBe(b.id);
    expect(b.path).toBe(a.path);
    expect(c.path).not.toBe(a.path);
    expect(filesUnder(store)).toEqual([a, c].map((x) => join(x.sha256.slice(0, 2), x.sha256)).sort());
    store = await reopenStore(store);
    expect((await store.artifacts(incidentId)).map((x) => x.label)).toEqual(['instance a', 'instance b', 'instance c']);
  });

  it('copies a file larger than its copy buffer intact', async () => {
    const { incidentId, stepRunId, store: first } = await storeWithIncident();
    const store = first;
    const data = randomBytes((3 << 20) + 12345);
    const artifact = await store.addArtifact(incidentId, {
      stepRunId,
      actionId: 'cpu',
      sourcePath: writeSourceFile(data, 'cpu.pb.gz'),
      mediaType: MediaType.pprof('profile'),
      label: 'cpu',
    });
    expect(artifact.size).toBe(data.length);
    expect(artifact.sha256).toBe(sha256(data));
    expect(readFileSync(artifact.path).equals(data)).toBe(true);
  });

  it('accepts a correct known digest and refuses a wrong one without a row or a file', async () => {
    const { incidentId, stepRunId, store: first } = await storeWithIncident();
    const store = first;
    const source = writeSourceFile('profile bytes');
    const ok = await store.addArtifact(incidentId, {
      stepRunId,
      actionId: 'x',
      sourcePath: source,
      mediaType: 'text/plain',
      label: 'x',
      sha256: sha256('profile bytes'),
    });
    expect(readFileSync(ok.path, 'utf8')).toBe('profile bytes');

    const other = writeSourceFile('different bytes');
    await expect(
      store.addArtifact(incidentId, {
        stepRunId,
        actionId: 'y',
        sourcePath: other,
        mediaType: 'text/plain',
        label: 'y',
        sha256: sha256('something else'),
      }),
    ).rejects.toThrow(/sha256/);
    expect((await store.artifacts(incidentId)).map((a) => a.label)).toEqual(['x']);
    expect(filesUnder(store)).toEqual([join(ok.sha256.slice(0, 2), ok.sha256)]);
  });
});

describe('addArtifact failures leave no row and no file', () => {
  it('when the source is a directory or missing', async () => {
    const { incidentId, stepRunId, store: first } = await storeWithIncident();
    let store = first;
    const dir = makeTempDir();
    await expect(
      store.addArtifact(incidentId, { stepRunId, actionId: 'x', sourcePath: dir, mediaType: 'text/plain', label: 'x' }),
    ).rejects.toThrow(/not a regular file/);
    await expect(
      store.addArtifact(incidentId, { stepRunId, actionId: 'x', sourcePath: join(dir, 'gone'), mediaType: 'text/plain', label: 'x' }),
    ).rejects.toThrow(StoreError);
    store = await reopenStore(store);
    expect(await store.artifacts(incidentId)).toEqual([]);
    expect(filesUnder(store)).toEqual([]);
  });

  it('when the content-addressed directory cannot be created', async () => {
    const { incidentId, stepRunId, store: first } = await storeWithIncident();
    const store = first;
    const content = 'blocked';
    // A plain file where the shard directory must go: mkdir fails (works even as root,
    // where a read-only directory would not stop the copy).
    mkdirSync(store.artifactDir, { recursive: true });
    writeFileSync(join(store.artifactDir, sha256(content).slice(0, 2)), 'in the way');
    await expect(
      store.addArtifact(incidentId, {
        stepRunId,
        actionId: 'x',
        sourcePath: writeSourceFile(content),
        mediaType: 'text/plain',
        label: 'x',
      }),
    ).rejects.toThrow(StoreError);
    expect(await store.artifacts(incidentId)).toEqual([]);
    expect(filesUnder(store)).toEqual([sha256(content).slice(0, 2)]); // only the blocker; no temp file
  });

  it('when the incident or the step run is unknown (nothing is copied)', async () => {
    const { store, incidentId } = await storeWithIncident();
    const source = writeSourceFile('x');
    await expect(
      store.addArtifact('inc-00000000', { stepRunId: null, actionId: 'x', sourcePath: source, mediaType: 'text/plain', label: 'x' }),
    ).rejects.toThrow(/inc-00000000/);
    await expect(
      store.addArtifact(incidentId, { stepRunId: 4242, actionId: 'x', sourcePath: source, mediaType: 'text/plain', label: 'x' }),
    ).rejects.toThrow(/step run 4242/);
    expect(filesUnder(store)).toEqual([]);
  });
});

import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeTempDir, openTestStore, sampleIncident } from './store-helpers.ts';
import { transpileForChild } from './transpile-for-child.ts';
import { hasTool } from '../helpers/tools.js';

const writerScript = join(dirname(fileURLToPath(import.meta.url)), 'evidence-writer.mjs');
let buildDir: string;
let storeModule: string;

beforeAll(() => {
  buildDir = mkdtempSync(join(tmpdir(), 'gotriage-store-build-'));
  storeModule = transpileForChild(buildDir);
});
afterAll(() => rmSync(buildDir, { recursive: true, force: true }));

type Report = Record<string, unknown> & { type?: string };

/** Runs the writer until it has reported `minLines` commits (plus a random moment), then SIGKILLs it. */
function runAndKill(dbPath: string, incidentId: string, workDir: string, minLines: number): Promise<Report[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [writerScript, storeModule, dbPath, incidentId, workDir, 'loop'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    let killing = false;
    const guard = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (!killing && out.split('\n').length - 1 >= minLines) {
        killing = true;
        // A random extra delay so kills land mid-copy, mid-transaction or between commits.
        setTimeout(() => child.kill('SIGKILL'), Math.floor(Math.random() * 40));
      }
    });
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (signal !== 'SIGKILL') return reject(new Error(`writer exited by itself (code ${code}): ${err}`));
      // Only complete lines count: a line cut by the kill was not fully reported.
      const lines = out.split('\n').slice(0, -1);
      resolve(lines.map((line) => JSON.parse(line) as Report));
    });
  });
}

const sha256Of = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');

describe('SIGKILL while evidence is being written', () => {
  it('loses nothing that was acknowledged and leaves an intact database, over repeated kills', async () => {
    const dir = makeTempDir();
    const dbPath = join(dir, 'gotriage.db');
    const workDir = makeTempDir('gotriage-work-');
    const setup = openTestStore(dbPath);
    const { id: incidentId } = await setup.createIncident(sampleIncident(), { value: 'gather' }, 'gather');
    await setup.close();

    const reported: Report[] = [];
    for (let round = 0; round < 8; round++) {
      reported.push(...(await runAndKill(dbPath, incidentId, workDir, 2 + Math.floor(Math.random() * 10))));
    }

    const store = openTestStore(dbPath);
    expect(await store.integrityCheck()).toBe('ok');
    const ofType = (type: string) => reported.filter((r) => r.type === type);
    expect(ofType('transition').length).toBeGreaterThan(0);

    const stepIds = new Set((await store.stepRuns(incidentId)).map((r) => r.id));
    for (const r of ofType('step')) expect(stepIds.has(r.id as number)).toBe(true);
    const toolIds = new Set((await store.toolRuns(incidentId)).map((r) => r.id));
    for (const r of ofType('tool')) expect(toolIds.has(r.id as number)).toBe(true);
    for (const r of ofType('artifact')) expect((await store.getArtifact(r.id as number))?.sha256).toBe(r.sha256);
    const titles = new Set((await store.findings(incidentId)).map((f) => f.title));
    const finished = new Set((await store.stepRuns(incidentId)).filter((r) => r.status === 'finished').map((r) => r.id));
    for (const r of ofType('transition')) {
      expect(titles.has(r.title as string)).toBe(true);
      expect(finished.has(r.stepRunId as number)).toBe(true);
    }

    // Every row, reported or not, points at a whole file with its digest: the file is
    // renamed into place before its row is inserted.
    for (const artifact of await store.artifacts(incidentId)) {
      expect(statSync(artifact.path).size).toBe(artifact.size);
      expect(sha256Of(artifact.path)).toBe(artifact.sha256);
    }
    // No half-written file ever sits at a content address, with or without a row:
    // copies are written to a temp file and renamed into place only when complete.
    const contentFiles = (readdirSync(store.artifactDir, { recursive: true }) as string[]).filter((name) =>
      /^[0-9a-f]{2}\/[0-9a-f]{64}$/.test(name),
    );
    expect(contentFiles.length).toBeGreaterThan(0);
    for (const name of contentFiles) expect(sha256Of(join(store.artifactDir, name))).toBe(name.slice(3));
    // Temp files of killed writers are swept at open.
    expect(readdirSync(store.artifactDir).filter((name) => name.startsWith('.tmp-'))).toEqual([]);

    // What a resume does: the runs cut short become interrupted, and none stays started.
    const startedBefore = (await store.stepRuns(incidentId)).filter((r) => r.status === 'started').map((r) => r.id);
    expect((await store.markInterrupted(incidentId)).map((r) => r.id)).toEqual(startedBefore);
    expect((await store.stepRuns(incidentId)).some((r) => r.status === 'started')).toBe(false);
  });
});

const hasPrlimit = hasTool('prlimit');

describe('disk full while copying an artifact', () => {
  it.skipIf(!hasPrlimit)('fails with a StoreError saying so and leaves no row and no file', async () => {
    const dbPath = join(makeTempDir(), 'gotriage.db');
    const setup = openTestStore(dbPath);
    const { id: incidentId } = await setup.createIncident(sampleIncident(), {}, 'gather');
    await setup.close();
    const source = join(makeTempDir('gotriage-src-'), 'heap.pb.gz');
    writeFileSync(source, Buffer.alloc(3 << 20, 7));

    // RLIMIT_FSIZE makes writes past 1 MiB fail with EFBIG (Node ignores SIGXFSZ), the
    // same failure path as ENOSPC on a full disk, without needing a full file system.
    const result = spawnSync(
      'prlimit',
      [`--fsize=${1 << 20}`, process.execPath, writerScript, storeModule, dbPath, incidentId, '/nonexistent', 'one-artifact', source],
      {
        encoding: 'utf8',
      },
    );
    expect(result.status, result.stderr).toBe(0);
    const outcome = JSON.parse(result.stdout.trim()) as { ok: boolean; name: string; message: string; hint: string | null };
    expect(outcome).toMatchObject({ ok: false, name: 'StoreError' });
    expect(outcome.message).toMatch(/EFBIG|too large/);
    expect(outcome.hint).toMatch(/full/);

    const store = openTestStore(dbPath);
    expect(await store.artifacts(incidentId)).toEqual([]);
    expect(existsSync(store.artifactDir) ? readdirSync(store.artifactDir, { recursive: true }) : []).toEqual([]);
    expect(await store.integrityCheck()).toBe('ok');
  });
});

// Child process for the crash tests: writes evidence through the real store and prints
// one JSON line AFTER each commit returns, so every printed id was acknowledged.
// Usage: node evidence-writer.mjs <open.js> <db> <incidentId> <workDir> loop|one-artifact [source]
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';

const [storeModule, dbPath, incidentId, workDir, mode, source] = process.argv.slice(2);
const { openStore } = await import(storeModule);
const store = openStore({ path: dbPath });
const report = (record) => process.stdout.write(JSON.stringify(record) + '\n');

if (mode === 'one-artifact') {
  try {
    const artifact = await store.addArtifact(incidentId, {
      stepRunId: null,
      actionId: 'big',
      sourcePath: source,
      mediaType: 'text/plain',
      label: 'big',
    });
    report({ ok: true, id: artifact.id });
  } catch (error) {
    report({ ok: false, name: error.name, message: error.message, hint: error.hint ?? null });
  }
  await store.close();
} else {
  for (let i = 0; ; i++) {
    const run = await store.startStep(incidentId, 'gather');
    report({ type: 'step', id: run.id });
    // Varying sizes, some spanning several copy chunks, so kills land mid-copy too.
    const file = join(workDir, `out-${process.pid}-${i}`);
    writeFileSync(file, randomBytes(1 + Math.floor(Math.random() * 3_000_000)));
    const artifact = await store.addArtifact(incidentId, {
      stepRunId: run.id,
      actionId: 'dump',
      sourcePath: file,
      mediaType: 'application/octet-stream',
      label: `dump ${i}`,
    });
    report({ type: 'artifact', id: artifact.id, sha256: artifact.sha256 });
    const tool = await store.addToolRun(incidentId, {
      stepRunId: run.id,
      actionId: 'dump',
      argv: ['curl', String(i)],
      exitCode: 0,
      signal: null,
      timedOut: false,
      durationMs: i,
      stdoutArtifactId: artifact.id,
      stderrArtifactId: null,
      startedAt: new Date().toISOString(),
    });
    report({ type: 'tool', id: tool.id });
    await store.commitTransition({
      incidentId,
      snapshot: { pid: process.pid, i },
      state: 'gather',
      stepRun: { id: run.id, status: 'finished' },
      findings: [
        { kind: 'heap-growth', title: `finding ${process.pid}/${i}`, severity: 'low', metrics: { i }, artifactIds: [artifact.id] },
      ],
      events: [{ at: new Date().toISOString(), step: 'gather', kind: 'note', text: `round ${process.pid}/${i}` }],
    });
    report({ type: 'transition', stepRunId: run.id, title: `finding ${process.pid}/${i}` });
  }
}

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'vitest';
import { renderPostmortem } from '/work/main/src/report/render.ts';
import { createMemoryReportStore, sampleIncident, INCIDENT_ID } from '/work/main/test/report/sample-incident.ts';
test('try', () => {
  const dir = mkdtempSync(join(tmpdir(), 'rt-'));
  const extra = process.env.EXTRA ?? '';
  const store = createMemoryReportStore(sampleIncident({ artifactDir: dir, extra }));
  const out = renderPostmortem(store, INCIDENT_ID, { outPath: join(dir, 'report', 'pm.md') });
  console.log(out);
});

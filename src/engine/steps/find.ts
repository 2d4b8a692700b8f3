/**
 * Findings from artifacts, as the analyze and fix steps both need them: parsed by
 * src/analyze, with source paths made relative to the service directory when they
 * lie inside it — the build path of a scratch checkout means nothing in a postmortem
 * read a week later, `export.go:46` does.
 */
import { relative, isAbsolute } from 'node:path';
import { analyzeArtifacts } from '../../analyze/index.js';
import type { Finding } from '../../core/model.js';
import type { StoredArtifact } from '../../store/store.js';
import type { StepEnv } from '../types.js';

export async function findingsFrom(env: StepEnv, artifacts: readonly StoredArtifact[]): Promise<Finding[]> {
  const findings = await analyzeArtifacts(artifacts);
  const serviceDir = env.params.serviceDir;
  if (!serviceDir) return findings;
  return findings.map((f) => {
    const file = f.location?.file;
    if (!file || !isAbsolute(file)) return f;
    const rel = relative(serviceDir, file);
    if (rel.startsWith('..') || isAbsolute(rel)) return f;
    return { ...f, location: { ...f.location!, file: rel } };
  });
}

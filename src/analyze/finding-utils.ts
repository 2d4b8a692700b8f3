/** Small helpers every analyzer entry point shares. */
import { redactSecrets } from '../core/redact.js';
import type { Finding } from '../core/model.js';
import type { StoredArtifact } from '../store/store.js';

/**
 * The same observation reached by two routes (the alert's own expression and a playbook
 * query naming the same series) is one finding, pointing at both artifacts.
 */
export function mergeDuplicates(findings: readonly Finding[]): Finding[] {
  const byKey = new Map<string, Finding>();
  for (const f of findings) {
    const key = JSON.stringify([f.kind, f.title, f.location?.func, f.location?.file, f.location?.line]);
    const seen = byKey.get(key);
    if (seen) seen.artifactIds = [...new Set([...seen.artifactIds, ...f.artifactIds])];
    else byKey.set(key, { ...f, artifactIds: [...f.artifactIds] });
  }
  return [...byKey.values()];
}

/** A `tool-failure` finding for evidence gotriage kept but could not read. */
export function parseFailureFinding(artifact: StoredArtifact, err: unknown): Finding {
  const reason = err instanceof Error ? err.message : String(err);
  return {
    kind: 'tool-failure',
    title: redactSecrets(`could not parse ${artifact.label} (${artifact.mediaType})`),
    severity: 'medium',
    metrics: { size: artifact.size },
    detail: redactSecrets(`${reason}\nThe raw bytes are kept as artifact ${artifact.id} (sha256 ${artifact.sha256}).`),
    artifactIds: [artifact.id],
  };
}

/**
 * The analyze step's view of escape analysis: stored compiler diagnostics
 * (`text/x-go-escape; module=…`) → escape findings, joined with the newest stored
 * allocation profile (heap or allocs: both carry alloc_space) when there is one.
 */
import { readFile } from 'node:fs/promises';
import { redactSecrets } from '../core/redact.js';
import type { Finding } from '../core/model.js';
import { parseMediaType } from '../core/model.js';
import type { StoredArtifact } from '../store/store.js';
import { explainAllocations } from './escape-allocations.js';
import { escapeFindings } from './escape-findings.js';
import { parseEscapeOutput } from './escape-parse.js';
import { inferModulePath, moduleRelativeMapper } from './escape-paths.js';
import { decodeProfileFile } from './profile.js';

const ESCAPE_TYPE = 'text/x-go-escape';
const PPROF_TYPE = 'application/vnd.google.pprof+gzip';

/**
 * Findings for every escape artifact in the set (same signature as the analyze step's
 * set analyzers). Without a `module=` parameter (pasted output) the module path is
 * inferred from the package headers. An artifact that cannot be read gives a `tool-failure` finding naming
 * it; this never throws for bad content.
 */
export async function escapeArtifactFindings(artifacts: readonly StoredArtifact[]): Promise<Finding[]> {
  const escapes = artifacts.filter((a) => parseMediaType(a.mediaType).type === ESCAPE_TYPE);
  if (escapes.length === 0) return [];
  const profile = newestAllocationProfile(artifacts);
  const findings: Finding[] = [];
  for (const artifact of escapes) {
    try {
      const text = await readFile(artifact.path, 'utf8');
      const modulePath = parseMediaType(artifact.mediaType).params.module ?? inferModulePath(text) ?? '';
      const entries = parseEscapeOutput(text, { mapPath: moduleRelativeMapper({ modulePath }) });
      // The hot allocating functions first: they say which of the sites below matter.
      if (profile) {
        findings.push(...explainAllocations(entries, await decodeProfileFile(profile.path), { artifactIds: [artifact.id, profile.id] }));
      }
      findings.push(...escapeFindings(entries, [artifact.id]));
    } catch (err) {
      findings.push({
        kind: 'tool-failure',
        title: redactSecrets(`could not parse ${artifact.label} (${artifact.mediaType})`),
        severity: 'medium',
        metrics: { size: artifact.size },
        detail: redactSecrets(err instanceof Error ? err.message : String(err)),
        artifactIds: [artifact.id],
      });
    }
  }
  return findings;
}

/** Heap and allocs profiles both hold alloc_space (runtime/pprof writes the same four sample types). */
function newestAllocationProfile(artifacts: readonly StoredArtifact[]): StoredArtifact | undefined {
  return [...artifacts]
    .filter((a) => {
      const { type, params } = parseMediaType(a.mediaType);
      return type === PPROF_TYPE && (params.kind === 'heap' || params.kind === 'allocs');
    })
    .sort((a, b) => b.id - a.id)[0];
}

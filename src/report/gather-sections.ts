/**
 * Assembles the report sections about gathered evidence (Collection, Logs, Metrics, Benchmarks,
 * Pictures) from the store's records, for buildReportData (data.ts).
 */
import type { CollectionRecord, Incident, StepRun, StoredArtifact } from '../store/store.js';
import { buildCollection } from './collection.js';
import { buildBenchmarks, buildLogs, buildMetrics, otherPictures } from './evidence-sections.js';
import type { ReportImage } from './gather-report-data.js';
import { planReportImages } from './image-names.js';
import type { CopiedImage } from './report-images.js';
import type { ReportArtifact, ReportData, ReportFinding } from './report-data.js';

export interface GatherSectionsInput {
  incident: Incident;
  runs: readonly StepRun[];
  storedArtifacts: readonly StoredArtifact[];
  /** The same artifacts as shown in the report (paths relative to it). */
  reportArtifacts: readonly ReportArtifact[];
  collections: readonly CollectionRecord[];
  /** Findings as numbered in the Findings section. */
  findings: readonly ReportFinding[];
  /** What renderPostmortem copied; absent when the data is built without rendering (no copy errors known). */
  copiedImages?: readonly CopiedImage[];
  /** `gather #1` for a step run id. */
  stepLabel: (stepRunId: number | null) => string;
}

export type GatherSections = Pick<ReportData, 'collection' | 'logs' | 'metrics' | 'benchmarks' | 'pictures'>;

/** Builds the gathered-evidence sections. Pure: reads nothing but its input. */
export function buildGatherSections(input: GatherSectionsInput): GatherSections {
  const images = reportImages(input);
  const metrics = buildMetrics(input.findings, input.reportArtifacts, images);
  return {
    collection: buildCollection({
      params: input.incident.params,
      gatherRunIds: new Set(input.runs.filter((r) => r.step === 'gather').map((r) => r.id)),
      collections: input.collections,
      stepLabel: input.stepLabel,
    }),
    logs: buildLogs(input.findings, input.reportArtifacts),
    metrics,
    benchmarks: buildBenchmarks(input.findings, input.reportArtifacts),
    pictures: otherPictures(images, metrics),
  };
}

/** Every picture artifact with the path renderPostmortem copies it to (same plan, same names). */
function reportImages(input: GatherSectionsInput): ReportImage[] {
  const byId = new Map(input.storedArtifacts.map((a) => [a.id, a]));
  const copied = new Map((input.copiedImages ?? []).map((c) => [c.artifactId, c.error]));
  return planReportImages(input.storedArtifacts, input.incident.id).images.map((planned) => {
    const artifact = byId.get(planned.artifactId)!;
    return {
      artifactId: artifact.id,
      alt: artifact.label,
      path: planned.relativePath,
      mediaType: artifact.mediaType,
      size: artifact.size,
      step: input.stepLabel(artifact.stepRunId),
      error: copied.get(artifact.id) ?? null,
    };
  });
}

import type { ArtifactAttributes } from '../store/store.js';

/** An artifact as the postmortem lists it (its own module: every report data file refers to it). */
export interface ReportArtifact {
  id: number;
  label: string;
  actionId: string;
  stepRunId: number | null;
  /** What it is, as data (store/artifact-attributes.ts). */
  attributes: ArtifactAttributes;
  sha256: string;
  size: number;
  mediaType: string;
  /** Relative to the report's directory when it is known, else the absolute path. */
  path: string;
}

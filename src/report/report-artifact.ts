/** An artifact as the postmortem lists it (its own module: every report data file refers to it). */
export interface ReportArtifact {
  id: number;
  label: string;
  actionId: string;
  sha256: string;
  size: number;
  mediaType: string;
  /** Relative to the report's directory when it is known, else the absolute path. */
  path: string;
}

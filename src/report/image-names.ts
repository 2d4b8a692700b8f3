/**
 * Decides where each picture artifact (SVG charts, call-graph SVG/PNG) goes beside the report:
 * `<incident-id>/<safe-name>.<ext>`. Pure; the copying is report-images.ts. Names come from the
 * artifact's label but only through a `[a-z0-9-]` filter, so no label can name a path, a URL or
 * Markdown syntax — the template prints these paths inside its own `![…](…)`.
 */
import { redactSecrets } from '../core/redact.js';
import { MediaType, parseMediaType } from '../core/model.js';
import type { StoredArtifact } from '../store/store.js';

/** File extension per picture media type; other media types are not pictures. */
const PICTURE_EXTENSIONS: Record<string, string> = { [MediaType.svg]: 'svg', [MediaType.png]: 'png' };

/** Long labels (a call graph's full endpoint URL) are cut: a file name stays readable. */
const MAX_NAME_LENGTH = 60;

/** The shape every generated path has; the `imagepath` template helper refuses anything else. */
export const GENERATED_IMAGE_PATH = /^[a-z0-9][a-z0-9-]*\/[a-z0-9][a-z0-9-]*\.(svg|png)$/;

export interface PlannedImage {
  artifactId: number;
  /** Absolute path of the stored artifact file. */
  sourcePath: string;
  /** `<safe-name>.<ext>`, unique within the incident's picture directory. */
  fileName: string;
  /** `<incident dir>/<fileName>`, relative to the report's directory. */
  relativePath: string;
}

export interface ImagePlan {
  /** Directory name beside the report: the incident id, filtered like a picture name. */
  dirName: string;
  images: PlannedImage[];
}

/** Whether an artifact is a picture the report copies and embeds (SVG or PNG). */
export function isPictureArtifact(artifact: Pick<StoredArtifact, 'mediaType'>): boolean {
  return parseMediaType(artifact.mediaType).type in PICTURE_EXTENSIONS;
}

/**
 * A file-name stem from a label: secrets redacted first (a label never carries one, but the name
 * outlives the label in the file system), lower-cased, accents stripped, every other run of
 * characters outside `[a-z0-9]` turned into one `-`, cut to 60 characters. `fallback` when
 * nothing is left.
 */
export function safeImageName(label: string, fallback: string): string {
  const stem = redactSecrets(label)
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+/, '')
    .slice(0, MAX_NAME_LENGTH)
    .replace(/-+$/, '');
  return stem === '' ? fallback : stem;
}

/** What a picture is called: a chart by its query (`goroutines`), anything else by its label. */
function pictureName(artifact: StoredArtifact): string {
  const { role, query } = artifact.attributes;
  return role === 'chart' && query !== undefined ? query.name : artifact.label;
}

/**
 * Plans the copies for every picture artifact of an incident, in artifact id order so a re-render
 * gives every picture the same name again. Names that collide get `-2`, `-3` … in that order.
 */
export function planReportImages(artifacts: readonly StoredArtifact[], incidentId: string): ImagePlan {
  const dirName = safeImageName(incidentId, 'incident');
  const used = new Set<string>();
  const images: PlannedImage[] = [];
  for (const artifact of [...artifacts].sort((a, b) => a.id - b.id)) {
    const ext = PICTURE_EXTENSIONS[parseMediaType(artifact.mediaType).type];
    if (!ext) continue;
    const stem = safeImageName(pictureName(artifact), `image-${artifact.id}`);
    let fileName = `${stem}.${ext}`;
    for (let n = 2; used.has(fileName); n++) fileName = `${stem}-${n}.${ext}`;
    used.add(fileName);
    images.push({ artifactId: artifact.id, sourcePath: artifact.path, fileName, relativePath: `${dirName}/${fileName}` });
  }
  return { dirName, images };
}

/**
 * Copies the incident's pictures beside the postmortem (`<report dir>/<incident-id>/<name>.svg`)
 * so the Markdown's relative image paths resolve wherever the report directory is moved or
 * published. Every render rewrites the directory: planned files are replaced, pictures left from
 * an earlier render that the plan no longer names are removed, so re-rendering never duplicates.
 */
import { closeSync, copyFileSync, fsyncSync, mkdirSync, openSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { StepError } from '../core/errors.js';
import { fsyncDirectory } from '../core/fs-durable.js';
import type { ImagePlan } from './image-names.js';

/** Files this module may delete: generated names and its own temp files; anything else is left alone. */
const OWNED_FILE = /^(?:[a-z0-9][a-z0-9-]*\.(?:svg|png)|\.[a-z0-9][a-z0-9-]*\.(?:svg|png)\.[0-9]+\.tmp)$/;

export interface CopiedImage {
  artifactId: number;
  /** Why the artifact file could not be read (`ENOENT` …); null when the copy is in place. */
  error: string | null;
}

/**
 * Writes `plan` under `reportDir` and returns, per planned picture, whether its copy is in place.
 * A picture whose artifact file is missing is reported (the report says so instead of showing a
 * broken image) and does not stop the others. Throws StepError when the directory or a copy
 * cannot be written (disk full, a file where the directory should be).
 */
export function writeReportImages(plan: ImagePlan, reportDir: string): CopiedImage[] {
  const dir = join(reportDir, plan.dirName);
  if (plan.images.length === 0) {
    removeStalePictures(dir, new Set());
    return [];
  }
  try {
    mkdirSync(dir, { recursive: true });
  } catch (error) {
    throw writeError(dir, error);
  }
  const results: CopiedImage[] = [];
  for (const image of plan.images) {
    const unreadable = unreadableReason(image.sourcePath);
    if (unreadable) {
      results.push({ artifactId: image.artifactId, error: unreadable });
      continue;
    }
    copyDurably(image.sourcePath, dir, image.fileName);
    results.push({ artifactId: image.artifactId, error: null });
  }
  // A picture whose source vanished keeps no stale copy from an earlier render either.
  const kept = new Set(plan.images.filter((_image, i) => results[i]!.error === null).map((image) => image.fileName));
  removeStalePictures(dir, kept);
  fsyncDirectory(dir);
  return results;
}

/** `null` when `path` is a readable regular file, else the reason (errno code). */
function unreadableReason(path: string): string | null {
  try {
    if (!statSync(path).isFile()) return 'not a file';
    closeSync(openSync(path, 'r'));
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/**
 * Copies via a sibling temp file, fsynced, then renamed over the target: a reader (or a crash)
 * never sees half a picture, and a copy from an earlier render is replaced in one step.
 */
function copyDurably(source: string, dir: string, fileName: string): void {
  const target = join(dir, fileName);
  const temp = join(dir, `.${fileName}.${process.pid}.tmp`);
  try {
    copyFileSync(source, temp);
    const fd = openSync(temp, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, target);
  } catch (error) {
    rmSync(temp, { force: true });
    throw writeError(target, error);
  }
}

/** Removes owned files not in `keep`; a directory left empty is removed too. Missing directory: nothing to do. */
function removeStalePictures(dir: string, keep: ReadonlySet<string>): void {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return; // no directory (first render, or nothing to show): nothing stale
  }
  for (const name of entries) {
    if (keep.has(name) || !OWNED_FILE.test(name)) continue;
    try {
      rmSync(join(dir, name), { force: true });
    } catch (error) {
      throw writeError(join(dir, name), error);
    }
  }
  if (keep.size === 0 && readdirSync(dir).length === 0) rmSync(dir, { recursive: true, force: true });
}

function writeError(path: string, error: unknown): StepError {
  return new StepError(
    `could not write the postmortem's pictures to ${path}: ${error instanceof Error ? error.message : String(error)}`,
    'choose another path with --out, or free disk space, then render again with: gotriage report <id>',
  );
}

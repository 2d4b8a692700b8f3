/**
 * Content-addressed artifact files: `<artifactDir>/<sha[0..2]>/<sha>`.
 *
 * A file is copied into a temp file in artifactDir, fsynced, then renamed into place.
 * rename(2) within one file system is atomic, so the content-addressed path either
 * does not exist or holds the whole file; a failure (ENOSPC, EFBIG, EIO) leaves at
 * most a temp file, which is removed at once or swept at the next open.
 */
import { createHash } from 'node:crypto';
import {
  closeSync,
  chmodSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { StoreError } from '../core/errors.js';
import { fsyncDirectory } from '../core/fs-durable.js';

/** Fixed copy buffer: memory stays bounded however large the artifact (200 MB dumps). */
const CHUNK_BYTES = 1 << 20;
const TEMP_PREFIX = '.tmp-';

export interface StoredContent {
  sha256: string;
  size: number;
  /** Path relative to artifactDir: `<sha[0..2]>/<sha>`. */
  relPath: string;
  /** False when a file with the same content was already there. */
  created: boolean;
}

/** `<sha[0..2]>/<sha>`. */
export function contentRelPath(sha256: string): string {
  return `${sha256.slice(0, 2)}/${sha256}`;
}

/**
 * Copies `sourcePath` into the content-addressed store and returns its digest and size.
 * The source is left in place (callers own their temp dirs). With `knownSha256` and the
 * content already stored, the source is not read at all; otherwise the digest is computed
 * while copying, so the source is read once, and a wrong `knownSha256` is refused.
 */
export function storeContentFile(artifactDir: string, sourcePath: string, knownSha256?: string): StoredContent {
  const sourceSize = statRegularFile(sourcePath).size;
  if (knownSha256 !== undefined) {
    if (!/^[0-9a-f]{64}$/.test(knownSha256)) throw new StoreError(`not a sha256 digest: ${JSON.stringify(knownSha256)}`);
    const existing = join(artifactDir, contentRelPath(knownSha256));
    if (existsSync(existing)) return { sha256: knownSha256, size: sourceSize, relPath: contentRelPath(knownSha256), created: false };
  }

  ensureDir(artifactDir);
  const tempPath = join(artifactDir, `${TEMP_PREFIX}${process.pid}-${Math.random().toString(16).slice(2, 10)}`);
  let copied: { sha256: string; size: number };
  try {
    copied = copyHashAndSync(sourcePath, tempPath);
  } catch (error) {
    removeQuietly(tempPath);
    const code = (error as NodeJS.ErrnoException).code;
    const full = code === 'ENOSPC' || code === 'EFBIG' || code === 'EDQUOT';
    throw new StoreError(
      `could not store artifact ${sourcePath}: ${(error as Error).message}`,
      full ? `The disk holding ${artifactDir} is full (or a file-size limit was hit): free space and resume.` : undefined,
    );
  }
  if (knownSha256 !== undefined && knownSha256 !== copied.sha256) {
    removeQuietly(tempPath);
    throw new StoreError(`artifact ${sourcePath} has sha256 ${copied.sha256}, not the ${knownSha256} it was given with`);
  }

  const relPath = contentRelPath(copied.sha256);
  const finalPath = join(artifactDir, relPath);
  try {
    ensureDir(join(artifactDir, relPath.slice(0, 2)));
    if (existsSync(finalPath)) {
      removeQuietly(tempPath);
      return { ...copied, relPath, created: false };
    }
    // Evidence is never edited in place: read-only makes an accidental write fail loudly.
    chmodSync(tempPath, 0o444);
    renameSync(tempPath, finalPath);
    // A rename is durable only once its directory entry is on disk (POSIX fsync of the dir).
    fsyncDirectory(join(artifactDir, relPath.slice(0, 2)));
  } catch (error) {
    removeQuietly(tempPath);
    throw new StoreError(`could not store artifact ${sourcePath} under ${artifactDir}: ${(error as Error).message}`);
  }
  return { ...copied, relPath, created: true };
}

/** Removes a content file that no row refers to any more (a failed insert after the copy). */
export function removeContentFile(artifactDir: string, relPath: string): void {
  removeQuietly(join(artifactDir, relPath));
}

/**
 * Deletes temp files left by processes that died mid-copy (SIGKILL, power loss).
 * Temp names carry the writer's pid; a live pid's file may be a copy in progress.
 */
export function sweepOrphanTempFiles(artifactDir: string): void {
  let names: string[];
  try {
    names = readdirSync(artifactDir);
  } catch {
    return; // no artifact dir yet
  }
  for (const name of names) {
    if (!name.startsWith(TEMP_PREFIX)) continue;
    const pid = Number(name.slice(TEMP_PREFIX.length).split('-')[0]);
    if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && !isProcessAlive(pid)) {
      removeQuietly(join(artifactDir, name));
    }
  }
}

function statRegularFile(path: string): { size: number } {
  let stats;
  try {
    stats = statSync(path);
  } catch (error) {
    throw new StoreError(`artifact source ${path} cannot be read: ${(error as Error).message}`);
  }
  if (!stats.isFile()) throw new StoreError(`artifact source ${path} is not a regular file`);
  return { size: stats.size };
}

function copyHashAndSync(sourcePath: string, tempPath: string): { sha256: string; size: number } {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  let size = 0;
  const input = openSync(sourcePath, 'r');
  try {
    const output = openSync(tempPath, 'wx', 0o644);
    try {
      for (;;) {
        const read = readSync(input, buffer, 0, CHUNK_BYTES, null);
        if (read === 0) break;
        hash.update(buffer.subarray(0, read));
        let written = 0;
        while (written < read) written += writeSync(output, buffer, written, read - written);
        size += read;
      }
      fsyncSync(output);
    } finally {
      closeSync(output);
    }
  } finally {
    closeSync(input);
  }
  return { sha256: hash.digest('hex'), size };
}

function ensureDir(path: string): void {
  try {
    mkdirSync(path, { recursive: true });
  } catch (error) {
    throw new StoreError(`cannot create artifact directory ${path}: ${(error as Error).message}`);
  }
}

function removeQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // already gone
  }
}

function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

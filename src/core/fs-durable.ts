/** Durable file-system writes shared by the store and the report writer. */
import { closeSync, fsyncSync, openSync } from 'node:fs';

/** A rename is durable only once the directory entry is on disk (POSIX: fsync the directory). */
export function fsyncDirectory(path: string): void {
  const fd = openSync(path, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/**
 * Expected escape sites of test/fixtures/go/escapes, read from the `// ESC:<category>`
 * markers in its source, so tests never copy line numbers out of the captures.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { GO_PROGRAMS } from './support.ts';

export interface Marker {
  /** Module-relative file. */
  file: string;
  line: number;
  marker: string;
  /** The source line's text. */
  text: string;
}

export const ESCAPES_DIR = join(GO_PROGRAMS, 'escapes');

export function escapeMarkers(): Marker[] {
  const markers: Marker[] = [];
  for (const file of ['main.go', 'store/store.go']) {
    readFileSync(join(ESCAPES_DIR, file), 'utf8')
      .split('\n')
      .forEach((text, i) => {
        const m = /\/\/ ESC:(\S+)/.exec(text);
        if (m) markers.push({ file, line: i + 1, marker: m[1]!, text });
      });
  }
  return markers;
}

export function marker(name: string): Marker {
  const found = escapeMarkers().find((m) => m.marker === name);
  if (!found) throw new Error(`no ESC:${name} marker`);
  return found;
}

/** 1-based line in a module file containing needle. */
export function lineOf(dir: string, file: string, needle: string): number {
  const i = readFileSync(join(dir, file), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes(needle));
  if (i < 0) throw new Error(`${needle} not in ${file}`);
  return i + 1;
}

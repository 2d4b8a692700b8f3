/**
 * Where the package's own files are. This module sits at src/paths.ts (or, compiled,
 * dist/paths.js), so its parent directory is the package root either way.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const packageRoot = fileURLToPath(new URL('..', import.meta.url));

export const examplesDir = join(packageRoot, 'examples');

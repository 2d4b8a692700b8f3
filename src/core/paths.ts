/**
 * Where the package's own files are. This module sits at src/core/paths.ts (or, compiled,
 * dist/core/paths.js), so its grandparent directory is the package root either way.
 */
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';

export const packageRoot = fileURLToPath(new URL('../..', import.meta.url));

export const examplesDir = join(packageRoot, 'examples');

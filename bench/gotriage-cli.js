// How the benchmarks start `gotriage collect`: the built CLI, as a whole process.
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
export const bin = join(here, '..', 'bin', 'gotriage.js');

/** node arguments that run `gotriage collect` followed by `args`. */
export function collectArgv(args) {
  return [bin, 'collect', ...args];
}

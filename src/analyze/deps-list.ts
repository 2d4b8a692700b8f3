/**
 * The module's package list with imports, from `go list -deps -json` (no third-party
 * binary needed, unlike godepgraph; go-tools.md §7).
 */
import { ToolError } from '../core/errors.js';
import { assertGoSucceeded, checkedPackagePatterns, type GoPackagesOptions } from './go-packages.js';
import { readJsonObjects } from './deps-json-stream.js';

/** One package as `go list -deps -json=…` prints it (fields omitted when false/empty). */
export interface ListedPackage {
  ImportPath: string;
  Name?: string;
  Imports?: string[];
  Standard?: boolean;
  DepOnly?: boolean;
  Module?: { Path?: string; Main?: boolean; Version?: string };
}

/** The fields asked for: the list plus Name, so `main.*` functions map to their package. */
export const GO_LIST_FIELDS = 'ImportPath,Name,Imports,Standard,DepOnly,Module';

export interface ListPackagesOptions extends GoPackagesOptions {
  timeoutMs?: number;
}

/** Reads a saved `go list -json` output (a stream of objects, deps first). */
export async function readGoListFile(path: string): Promise<ListedPackage[]> {
  const packages: ListedPackage[] = [];
  for await (const value of readJsonObjects(path)) {
    const pkg = value as Partial<ListedPackage>;
    if (typeof pkg.ImportPath !== 'string') throw new ToolError(`${path}: a go list object without ImportPath`);
    packages.push(pkg as ListedPackage);
  }
  return packages;
}

/**
 * Runs `go list -deps -json=… <packages>` in dir through the Runner. Returns the stdout
 * file (keep it as the artifact) and the packages. A failing go list (no go.mod, a
 * package that does not exist) throws ToolError pointing at its stderr.
 */
export async function listPackages(options: ListPackagesOptions): Promise<{ artifactPath: string; packages: ListedPackage[] }> {
  const patterns = checkedPackagePatterns(options);
  const result = await options.runner.run(['go', 'list', '-deps', `-json=${GO_LIST_FIELDS}`, ...patterns], {
    cwd: options.dir,
    outputDir: options.outputDir,
    name: 'deps-go-list',
    signal: options.signal,
    timeoutMs: options.timeoutMs ?? 120_000,
  });
  assertGoSucceeded(result, 'go list -deps', options.signal, `see ${result.stderr.path} for go list's message`);
  return { artifactPath: result.stdout.path, packages: await readGoListFile(result.stdout.path) };
}

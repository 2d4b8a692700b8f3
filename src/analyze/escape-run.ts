/**
 * Runs escape analysis on a module's packages through the Runner: `go list -json` for
 * the module layout, then `go build -trimpath -gcflags=-m=2`, whose stderr is parsed
 * into entries and findings.
 */
import { ToolError } from '../core/errors.js';
import type { RunResult } from '../exec/runner.js';
import { assertGoSucceeded, checkedPackagePatterns, type GoPackagesOptions } from './go-packages.js';
import type { Finding } from '../core/model.js';
import { readJsonObjects } from './deps-json-stream.js';
import { escapeFindings } from './escape-findings.js';
import { parseEscapeFile, type EscapeEntry } from './escape-parse.js';
import { moduleRelativeMapper, type ModuleLayout } from './escape-paths.js';

export interface EscapeAnalysisOptions extends GoPackagesOptions {
  /** Per command. Default 5 minutes (a cold build of a large module). */
  timeoutMs?: number;
  /** `2` (default) explains each escape; `1` is plain `-m` (no reasons, smaller output). */
  level?: 1 | 2;
}

export interface EscapeAnalysisResult {
  /** [compiler diagnostics (stderr of go build), go list output]: keep both as artifacts. */
  artifactPaths: string[];
  /** The module path, for the media type (`text/x-go-escape; module=…`) so a later parse maps paths the same way. */
  modulePath: string;
  entries: EscapeEntry[];
  /** `escape` findings with empty artifactIds: the caller fills in the ids once it keeps the artifacts. */
  findings: Finding[];
}

interface ListedPackage {
  ImportPath?: string;
  Dir?: string;
  Name?: string;
  Module?: { Path?: string; Dir?: string; Main?: boolean };
}

/**
 * `go build -trimpath` makes every printed path import-path-qualified, the one form that
 * maps to a module-relative file whatever the cwd or the build cache (go-tools.md §2);
 * `-gcflags=-m=2` applies only to the packages named, not to std. `-o /dev/null`: the
 * go command discards the binaries (cmd/go special-cases os.DevNull). A package
 * that does not compile throws ToolError pointing at the diagnostics file.
 */
export async function runEscapeAnalysis(options: EscapeAnalysisOptions): Promise<EscapeAnalysisResult> {
  const packages = checkedPackagePatterns(options);
  const run = (argv: string[], name: string) =>
    options.runner.run(argv, {
      cwd: options.dir,
      outputDir: options.outputDir,
      name,
      signal: options.signal,
      timeoutMs: options.timeoutMs ?? 300_000,
    });

  const list = await run(['go', 'list', '-json=ImportPath,Dir,Name,Module', ...packages], 'escape-go-list');
  assertSucceeded(list, 'go list', options.signal);
  const layout = await readLayout(list.stdout.path, options.dir);

  const level = options.level ?? 2;
  const build = await run(['go', 'build', '-trimpath', `-gcflags=-m=${level}`, '-o', '/dev/null', ...packages], 'escape-go-build');
  assertSucceeded(build, 'go build -gcflags=-m', options.signal);
  const entries = await parseEscapeFile(build.stderr.path, {
    mapPath: moduleRelativeMapper(layout.layout),
    mainPackages: layout.mainPackages,
  });
  return {
    artifactPaths: [build.stderr.path, list.stdout.path],
    modulePath: layout.layout.modulePath,
    entries,
    findings: escapeFindings(entries, []),
  };
}

async function readLayout(listPath: string, cwd: string): Promise<{ layout: ModuleLayout; mainPackages: Set<string> }> {
  const packageDirs = new Map<string, string>();
  const mainPackages = new Set<string>();
  let modulePath: string | undefined;
  let moduleDir: string | undefined;
  for await (const value of readJsonObjects(listPath)) {
    const pkg = value as ListedPackage;
    if (pkg.ImportPath && pkg.Dir) packageDirs.set(pkg.ImportPath, pkg.Dir);
    if (pkg.ImportPath && pkg.Name === 'main') mainPackages.add(pkg.ImportPath);
    if (pkg.Module?.Main && !modulePath) {
      modulePath = pkg.Module.Path;
      moduleDir = pkg.Module.Dir;
    }
  }
  if (!modulePath) {
    throw new ToolError(
      `no main module found for ${cwd}`,
      [],
      null,
      null,
      listPath,
      'run escape analysis inside a Go module (a directory with go.mod)',
    );
  }
  return { layout: { modulePath, moduleDir, cwd, packageDirs }, mainPackages };
}

function assertSucceeded(result: RunResult, what: string, signal: AbortSignal | undefined): void {
  assertGoSucceeded(result, what, signal, `see ${result.stderr.path} for the compiler's output`);
}

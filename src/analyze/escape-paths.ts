/**
 * Maps the file paths the Go compiler prints in `-gcflags=-m` output to module-relative
 * paths. The printed form depends on flags, the working directory and the build cache
 * (go-tools.md §2): with `-trimpath` every path is import-path-qualified
 * (`example.com/svc/sub/x.go`, `fmt/print.go`); without it the go command rewrites the
 * package directory relative to its cwd (`./x.go`, `sub/x.go`, `../x.go`), a replayed
 * cache entry may be relative to another cwd, and GOROOT / module-cache files are absolute.
 */
import { existsSync } from 'node:fs';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';

export interface MappedPath {
  /** Module-relative (`store/store.go`) when inModule, else the path as printed. */
  file: string;
  inModule: boolean;
}

/** Turns a printed path (in the block of package `importPath`) into a module-relative one. */
export type EscapePathMapper = (printed: string, importPath: string) => MappedPath;

export interface ModuleLayout {
  /** The module path from go.mod, e.g. `example.com/demo-service`. */
  modulePath: string;
  /** Absolute module root. Needed for paths that are not import-path-qualified. */
  moduleDir?: string;
  /** The go command's working directory, which relative paths are printed against. */
  cwd?: string;
  /** ImportPath → Dir, from `go list -json`; the fallback for relative paths replayed from the cache. */
  packageDirs?: ReadonlyMap<string, string>;
}

/**
 * A mapper for one module. Relative paths are resolved against `cwd`, and when no such
 * file exists (cache replay from another cwd) against the package's own directory; a path
 * outside the module (std, module cache) is returned unchanged with `inModule: false`.
 */
export function moduleRelativeMapper(layout: ModuleLayout): EscapePathMapper {
  const prefix = `${layout.modulePath}/`;
  return (printed, importPath) => {
    // -trimpath form: the module path is the first segments of the printed path.
    if (printed.startsWith(prefix)) return { file: printed.slice(prefix.length), inModule: true };
    if (!layout.moduleDir) {
      // Pasted output without a module root: `./x.go` / `../x.go` are printed relative to
      // the go command's cwd, which is inside the module; absolute and `fmt/print.go` are not ours.
      if (printed.startsWith('./') || printed.startsWith('../')) return { file: printed.replace(/^(\.\/)+/, ''), inModule: true };
      return { file: printed, inModule: false };
    }
    if (isAbsolute(printed)) return insideModule(layout.moduleDir, printed) ?? { file: printed, inModule: false };
    // A relative path without a leading ./ or ../ and no module dir match is the
    // trimpath form of a std or dependency file (`fmt/print.go`).
    const pkgDir = layout.packageDirs?.get(importPath);
    const candidates = [
      layout.cwd === undefined ? undefined : resolve(layout.cwd, printed),
      pkgDir === undefined ? undefined : resolve(pkgDir, printed),
      pkgDir === undefined ? undefined : resolve(pkgDir, basename(printed)),
    ].filter((c): c is string => c !== undefined);
    for (const candidate of candidates) {
      const mapped = insideModule(layout.moduleDir, candidate);
      if (mapped && existsSync(candidate)) return mapped;
    }
    return { file: printed, inModule: false };
  };
}

function insideModule(moduleDir: string, abs: string): MappedPath | undefined {
  const rel = relative(moduleDir, abs);
  if (rel === '' || rel.startsWith('..') || isAbsolute(rel)) return undefined;
  return { file: rel.split(sep).join('/'), inModule: true };
}

/**
 * Guesses the module path of escape output when nobody said it (pasted text): the longest
 * common path prefix of its `# <import path>` blocks that are not std (a dot in the
 * first element, as for isUserFunction). Undefined when there is no such block.
 */
export function inferModulePath(text: string): string | undefined {
  let common: string[] | undefined;
  for (const match of text.matchAll(/^# (\S+)\r?$/gm)) {
    const parts = (match[1] ?? '').split('/');
    if (!parts[0]?.includes('.')) continue;
    if (!common) common = parts;
    else {
      let n = 0;
      while (n < common.length && n < parts.length && common[n] === parts[n]) n++;
      common = common.slice(0, n);
    }
  }
  return common && common.length > 0 ? common.join('/') : undefined;
}

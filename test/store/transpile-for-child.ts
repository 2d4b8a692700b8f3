/**
 * Node 20 cannot run our TypeScript directly, and the SIGKILL and disk-full tests need
 * the store in a separate process. This transpiles src/store/open.ts and every source file
 * it imports (relative imports only) into a temp dir, type-stripping only (no type check),
 * with a node_modules link so better-sqlite3 resolves as it does from src/.
 */
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Transpiles the import graph of `src/<entry>.ts` into `outDir` and returns the path of `<entry>.js`. */
export function transpileForChild(outDir: string, entry = 'store/open'): string {
  const srcRoot = join(repoRoot, 'src');
  const pending = [join(srcRoot, `${entry}.ts`)];
  const seen = new Set<string>();
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    const source = readFileSync(file, 'utf8');
    const output = ts.transpileModule(source, {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
      fileName: file,
    }).outputText;
    const target = join(outDir, relative(srcRoot, file)).replace(/\.ts$/, '.js');
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, output);
    // Follow `from './x.js'` in the emitted code: type-only imports are already gone.
    for (const match of output.matchAll(/from\s+['"](\.{1,2}\/[^'"]+)\.js['"]/g)) {
      pending.push(resolve(dirname(file), `${match[1]}.ts`));
    }
  }
  symlinkSync(join(repoRoot, 'node_modules'), join(outDir, 'node_modules'), 'dir');
  writeFileSync(join(outDir, 'package.json'), '{"type":"module"}\n');
  return join(outDir, `${entry}.js`);
}

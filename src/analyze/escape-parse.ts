/**
 * Parses the compiler's escape-analysis and inlining diagnostics (`go build
 * -gcflags=-m` or `-m=2`, stderr) into one entry per site. Formats: go-tools.md §2.
 */
import { readFile } from 'node:fs/promises';
import type { EscapePathMapper } from './escape-paths.js';

export type EscapeKind =
  | 'moved-to-heap'
  | 'escapes-to-heap'
  | 'leaking-param'
  | 'leaking-param-content'
  | 'does-not-escape'
  | 'can-inline'
  | 'cannot-inline'
  | 'inlining-call';

export interface EscapeEntry {
  kind: EscapeKind;
  /** What the line is about: `p`, `make([]byte, n)`, `&point{...}`, or the function for inlining lines. */
  subject: string;
  /** Import path of the package block (`# example.com/svc`) the line was printed in. */
  pkg: string;
  /** Whether that package is a `main` package (pprof then names its functions `main.*`). */
  pkgIsMain: boolean;
  /** Module-relative file when inModule, else the path as printed. */
  file: string;
  line: number;
  col: number;
  inModule: boolean;
  /** Enclosing function, package-relative as pprof prints it after the package (`renderExport`, `(*T).M`, `f.func1`). */
  func?: string;
  /** `leaking param: p to result ~r0 level=0` → `~r0`. */
  leakTo?: string;
  /** The `-m=2` explanation lines (flow: … / from … (reason) at …), trimmed. Empty under plain -m. */
  flow: string[];
  /** The message as printed, after the position. */
  message: string;
}

export interface ParseEscapeOptions {
  /** Maps printed paths to module-relative ones (escape-paths.ts). Default: keep paths as printed, none in a module. */
  mapPath?: EscapePathMapper;
  /** Import paths known to be `main` packages (from `go list`); otherwise a `main` function declared in the block decides. */
  mainPackages?: ReadonlySet<string>;
}

/** `path:line:col: message`; the path may contain colons (Windows drive, odd dirs), so match from the right. */
const POSITION = /^(.+?):(\d+):(\d+): (.*)$/;
const RULES: { kind: EscapeKind; re: RegExp }[] = [
  { kind: 'moved-to-heap', re: /^moved to heap: (.+)$/ },
  { kind: 'escapes-to-heap', re: /^(.+) escapes to heap$/ },
  { kind: 'does-not-escape', re: /^(.+) does not escape(?:, mutate, or call)?$/ },
  { kind: 'leaking-param-content', re: /^leaking param content: (.+)$/ },
  { kind: 'leaking-param', re: /^leaking param: (\S+)(?: to result (\S+) level=\d+)?$/ },
  { kind: 'can-inline', re: /^can inline (\S+)/ },
  { kind: 'cannot-inline', re: /^cannot inline (\S+): / },
  { kind: 'inlining-call', re: /^inlining call to (.+)$/ },
];
/**
 * `-m=2` explanation headers, followed by indented lines at the same position.
 * Go 1.26 names the function (`p escapes to heap in newPoint:`), Go 1.23 does not.
 */
const ESCAPE_HEADER = /^(.+) escapes to heap(?: in (.+))?:$/;
const LEAK_HEADER = /^parameter (\S+) leaks to .* for (.+?) with derefs=-?\d+:$/;

interface Raw {
  entry: EscapeEntry;
  printedFile: string;
}

/** Parses escape-analysis output held in a file (see {@link parseEscapeOutput}). */
export async function parseEscapeFile(path: string, options: ParseEscapeOptions = {}): Promise<EscapeEntry[]> {
  return parseEscapeOutput(await readFile(path, 'utf8'), options);
}

/**
 * Entries in output order. Lines that are neither a site nor an explanation
 * (`# pkg` headers, `capturing by ref`, build errors) are skipped. Each `-m=2`
 * explanation is attached to the site line at the same position and subject; the
 * enclosing function comes from the explanation header (Go ≥ 1.25) or else from the
 * nearest `can inline`/`cannot inline` declaration above the site in the same file.
 */
export function parseEscapeOutput(text: string, options: ParseEscapeOptions = {}): EscapeEntry[] {
  const mapPath = options.mapPath ?? ((printed: string) => ({ file: printed, inModule: false }));
  const raws: Raw[] = [];
  const explanations = new Map<string, { flow: string[]; func?: string }>();
  const mainSeen = new Set<string>();
  let pkg = '';
  let current: { flow: string[] } | undefined;

  for (const line of text.split('\n')) {
    if (line.startsWith('# ')) {
      pkg = line.slice(2).trim();
      current = undefined;
      continue;
    }
    const m = POSITION.exec(line.replace(/\r$/, ''));
    if (!m) continue;
    const [, printedFile = '', lineText = '', colText = '', message = ''] = m;
    const key = `${pkg}\u0000${printedFile}:${lineText}:${colText}`;
    if (/^\s/.test(message)) {
      current?.flow.push(message.trim());
      continue;
    }
    const header = ESCAPE_HEADER.exec(message) ?? LEAK_HEADER.exec(message);
    if (header) {
      current = { flow: [] };
      explanations.set(`${key}\u0000${header[1]}`, { flow: current.flow, func: header[2] });
      continue;
    }
    current = undefined;
    const rule = RULES.find((r) => r.re.test(message));
    if (!rule) continue;
    const match = rule.re.exec(message)!;
    const subject = match[1] ?? '';
    if ((rule.kind === 'can-inline' || rule.kind === 'cannot-inline') && subject === 'main') mainSeen.add(pkg);
    const mapped = mapPath(printedFile, pkg);
    raws.push({
      printedFile,
      entry: {
        kind: rule.kind,
        subject,
        pkg,
        pkgIsMain: false,
        file: mapped.file,
        line: Number(lineText),
        col: Number(colText),
        inModule: mapped.inModule,
        leakTo: rule.kind === 'leaking-param' ? match[2] : undefined,
        flow: [],
        message,
      },
    });
  }

  const decls = declarationsByFile(raws);
  return raws.map(({ entry, printedFile }) => {
    const explained = explanations.get(`${entry.pkg}\u0000${printedFile}:${entry.line}:${entry.col}\u0000${entry.subject}`);
    const isDecl = entry.kind === 'can-inline' || entry.kind === 'cannot-inline';
    return {
      ...entry,
      pkgIsMain: options.mainPackages?.has(entry.pkg) ?? mainSeen.has(entry.pkg),
      flow: explained?.flow ?? [],
      func: isDecl ? entry.subject : (explained?.func ?? enclosingDeclaration(decls, entry)),
    };
  });
}

/** `describe`, `(*Store).Put`, `stats.handleHit` is not (that would be a closure of `stats`). */
const TOP_LEVEL_FUNC = /^(?:\([^()]+\)\.)?[^.()]+$/;

interface Declaration {
  line: number;
  col: number;
  name: string;
}

/**
 * Top-level function declarations by package and file. `-m=2` prints `can inline` or
 * `cannot inline` at every function's position; plain -m only at inlinable ones, so
 * there a site in a non-inlinable function may be charged to the function above it.
 */
function declarationsByFile(raws: readonly Raw[]): Map<string, Declaration[]> {
  const byFile = new Map<string, Declaration[]>();
  for (const { entry } of raws) {
    if (entry.kind !== 'can-inline' && entry.kind !== 'cannot-inline') continue;
    // Only top-level functions and methods: a closure's (`f.func1`, `f.gowrap1`) extent is
    // unknown, and taking the nearest one would charge the rest of its parent to it.
    if (!TOP_LEVEL_FUNC.test(entry.subject)) continue;
    const key = `${entry.pkg}\u0000${entry.file}`;
    const list = byFile.get(key) ?? [];
    if (!list.some((d) => d.line === entry.line && d.col === entry.col))
      list.push({ line: entry.line, col: entry.col, name: entry.subject });
    byFile.set(key, list);
  }
  for (const list of byFile.values()) list.sort((a, b) => a.line - b.line || a.col - b.col);
  return byFile;
}

function enclosingDeclaration(decls: Map<string, Declaration[]>, entry: EscapeEntry): string | undefined {
  const list = decls.get(`${entry.pkg}\u0000${entry.file}`) ?? [];
  let found: string | undefined;
  for (const d of list) {
    // Strictly before: a `func literal` site sits at its own declaration's position and
    // belongs to the function that creates it.
    if (d.line < entry.line || (d.line === entry.line && d.col < entry.col)) found = d.name;
    else break;
  }
  return found;
}

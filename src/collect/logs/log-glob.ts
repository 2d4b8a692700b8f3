/**
 * File patterns of the `logs` action: `*`, `?` and `[…]` in the last path element
 * (Node 20 has no fs.glob; it arrived in 22). Each matching file comes with its rotated
 * siblings — `app.log.1`, `app.log.2.gz` (logrotate's numbered scheme) and
 * `app.log-20261126[.gz]` (its `dateext` scheme) — oldest first, so lines are read in
 * the order they were written.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UsageError } from '../../core/errors.js';

/** One log: the live file and its rotated predecessors. */
export interface LogSourceFiles {
  /** The live file's path (it may itself be gone, leaving only rotated files). */
  base: string;
  /** Existing regular files, oldest first; the live file last. */
  files: string[];
}

// `name[.N | -YYYYMMDD[HH]][.gz]`: the lazy base stops before a rotation suffix.
const ROTATED = /^(.+?)(?:\.(\d{1,4})|-(\d{8}(?:\d{2})?))?(\.gz)?$/;

/**
 * The sources a pattern names, sorted by path. A pattern whose directory does not exist
 * or matches nothing gives `[]`.
 * @throws UsageError when a wildcard appears before the last path element.
 */
export async function expandLogPattern(pattern: string): Promise<LogSourceFiles[]> {
  const absolute = resolve(pattern);
  const dir = dirname(absolute);
  if (/[*?[]/.test(dir)) {
    throw new UsageError(
      `log file pattern ${JSON.stringify(pattern)} has a wildcard in a directory name`,
      'only the last path element may hold *, ? or […]; list each directory as its own pattern',
    );
  }
  const matcher = globToRegExp(basename(absolute));
  let names: string[];
  try {
    names = await readdir(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  const groups = new Map<string, { name: string; key: SortKey }[]>();
  for (const name of names) {
    const rotation = ROTATED.exec(name)!;
    const base = rotation[1]!;
    if (!matcher.test(name) && !matcher.test(base)) continue;
    const members = groups.get(base) ?? [];
    members.push({ name, key: rotationOrder(name, rotation) });
    groups.set(base, members);
  }
  const sources: LogSourceFiles[] = [];
  for (const [base, members] of [...groups].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    members.sort((a, b) => compareKeys(a.key, b.key));
    const files: string[] = [];
    for (const m of members) {
      const path = join(dir, m.name);
      // Directories and sockets named like logs are not logs; unreadable files are reported later.
      const info = await stat(path).catch(() => undefined);
      if (!info || info.isFile()) files.push(path);
    }
    if (files.length > 0) sources.push({ base: join(dir, base), files });
  }
  return sources;
}

/** A glob for one path element → an anchored RegExp (filepath.Match semantics, no `/`). */
export function globToRegExp(glob: string): RegExp {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') out += '[^/]*';
    else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        out += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negate = body.startsWith('!') || body.startsWith('^');
      if (negate) body = body.slice(1);
      out += `[${negate ? '^' : ''}${body.replace(/[\\\]^]/g, '\\$&')}]`;
      i = close;
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return new RegExp(`^${out}$`);
}

type SortKey = [number, number, string];

/** dateext files (by date) before numbered ones (highest number = oldest) before the live file. */
function rotationOrder(name: string, rotation: RegExpExecArray): SortKey {
  if (rotation[3]) return [0, 0, rotation[3]];
  if (rotation[2]) return [1, -Number(rotation[2]), ''];
  if (rotation[4]) return [1, 0, ''];
  return [2, 0, name];
}

function compareKeys(a: SortKey, b: SortKey): number {
  return a[0] - b[0] || a[1] - b[1] || (a[2] < b[2] ? -1 : a[2] > b[2] ? 1 : 0);
}

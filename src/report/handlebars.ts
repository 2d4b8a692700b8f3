/**
 * The Handlebars instance that renders postmortems. Only files from the templates directory are
 * ever compiled; incident data is passed as context and printed through the Markdown-safe
 * helpers, so a `{{secret}}` in tool output stays literal text.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import Handlebars from 'handlebars';
import { UsageError } from '../core/errors.js';
import { formatBytes, formatDuration, formatNumber, formatPercent, formatTimestamp } from './format.js';
import { GENERATED_IMAGE_PATH } from './image-names.js';
import { markdownCell, markdownCode, markdownCodeBlock, markdownInline } from './markdown.js';

type HandlebarsEnv = ReturnType<typeof Handlebars.create>;

/** Compile options for every template: Markdown needs no HTML escaping, and a missing field is a bug. */
const COMPILE_OPTIONS = { noEscape: true, strict: true } as const;

export interface ReportHandlebars {
  /** The isolated instance (`Handlebars.create()`), with the report helpers and partials registered. */
  readonly handlebars: HandlebarsEnv;
  /** Directory the templates were read from. */
  readonly templatesDir: string;
  /** Renders `templates/<name>` with `data` as its context. */
  render(name: string, data: unknown): string;
}

/**
 * Creates a Handlebars instance for `templatesDir`: registers the Markdown-safe helpers and every
 * `partials/*.hbs` file as a partial named after the file (`partials/finding.hbs` → `finding`).
 * Throws UsageError when the directory or a requested template is missing or does not compile.
 */
export function createReportHandlebars(templatesDir: string): ReportHandlebars {
  if (!isDirectory(templatesDir)) {
    throw new UsageError(
      `templates directory not found: ${templatesDir}`,
      'pass a directory holding postmortem.md.hbs, or omit it to use the built-in templates',
    );
  }
  const handlebars = Handlebars.create();
  registerReportHelpers(handlebars);
  registerPartials(handlebars, templatesDir);
  const compiled = new Map<string, HandlebarsTemplateDelegate>();

  return {
    handlebars,
    templatesDir,
    render(name, data) {
      let template = compiled.get(name);
      if (!template) {
        template = handlebars.compile(readTemplate(templatesDir, name), COMPILE_OPTIONS);
        compiled.set(name, template);
      }
      return template(data);
    },
  };
}

/** Registers md, cell, code, codeblock, imagepath, ts, duration, bytes, pct, num, eq, inc on `handlebars`. */
export function registerReportHelpers(handlebars: HandlebarsEnv): void {
  handlebars.registerHelper({
    md: printing('md', (value) => markdownInline(value)),
    cell: printing('cell', (value) => markdownCell(value)),
    code: printing('code', (value) => markdownCode(value)),
    codeblock: printing('codeblock', (value, info) => markdownCodeBlock(value, typeof info === 'string' ? info : '')),
    imagepath: printing('imagepath', (value) => generatedImagePath(value)),
    // A timestamp that does not parse is printed as stored: it is data, so it is escaped like data.
    ts: printing('ts', (value) => markdownInline(formatTimestamp(typeof value === 'string' ? value : null))),
    duration: printing('duration', (value) => formatDuration(typeof value === 'number' ? value : null)),
    bytes: printing('bytes', (value) => formatBytes(typeof value === 'number' ? value : null)),
    pct: printing('pct', (value) => formatPercent(typeof value === 'number' ? value : null)),
    num: printing('num', (value) => formatNumber(typeof value === 'number' ? value : null)),
    eq: (a: unknown, b: unknown) => a === b,
    inc: (value: unknown) => (typeof value === 'number' ? value + 1 : value),
  });
}

/**
 * The destination of a `![…](…)` the template writes: only a path image-names.ts generated
 * (`inc-…/goroutines.svg`, `[a-z0-9-]` names) passes. Anything else is a bug — a template printing
 * data where a generated path belongs — and throws rather than letting data into a link destination.
 */
function generatedImagePath(value: unknown): string {
  if (typeof value === 'string' && GENERATED_IMAGE_PATH.test(value)) return value;
  throw new Error(`{{imagepath}} was given ${JSON.stringify(value)}, not a picture path the report generated`);
}

interface HelperOptions {
  loc?: { start?: { line: number; column: number } };
}

/**
 * Wraps a printing helper. Handlebars' strict mode checks only plain `{{field}}` lookups: a helper
 * argument whose last segment is missing arrives as `undefined` (compiler.js resolvePath). The
 * report data has `null` for every absent value, so `undefined` means the template names a field
 * that does not exist — thrown, rather than printed as empty text.
 * Handlebars passes its options object last; it is dropped so optional arguments work.
 */
function printing(name: string, print: (value: unknown, ...rest: unknown[]) => string) {
  return (...args: unknown[]) => {
    const options = args.pop() as HelperOptions;
    if (args[0] === undefined) {
      const at = options.loc?.start ? ` at line ${options.loc.start.line}, column ${options.loc.start.column}` : '';
      throw new Error(`{{${name}}}${at} was given a field the report data does not have`);
    }
    return print(args[0], ...args.slice(1));
  };
}

function registerPartials(handlebars: HandlebarsEnv, templatesDir: string): void {
  const partialsDir = join(templatesDir, 'partials');
  if (!isDirectory(partialsDir)) return;
  for (const file of readdirSync(partialsDir).sort()) {
    if (!file.endsWith('.hbs')) continue;
    const source = readFileSync(join(partialsDir, file), 'utf8');
    // Compiled here with the report options explicitly, rather than relying on a string partial
    // inheriting them from whichever template includes it.
    handlebars.registerPartial(basename(file, '.hbs'), handlebars.compile(source, COMPILE_OPTIONS));
  }
}

/** Reads `<templatesDir>/<name>`; `name` is a file name (it may come from a playbook), never a path. */
function readTemplate(templatesDir: string, name: string): string {
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name) || name.includes('..')) {
    throw new UsageError(
      `invalid template name: ${JSON.stringify(name)}`,
      'a template is a file name inside the templates directory, e.g. postmortem.md.hbs',
    );
  }
  const file = join(templatesDir, name);
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const available = readdirSync(templatesDir).filter((f) => f.endsWith('.hbs'));
    throw new UsageError(
      `template not found: ${file} (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`,
      `available templates: ${available.join(', ') || 'none'}`,
    );
  }
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

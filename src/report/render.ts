/**
 * Renders an incident's postmortem to a Markdown file.
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GotriageError, InternalError, StepError, UsageError } from '../core/errors.js';
import { buildReportData, requireIncident, type ReportStore } from './data.js';
import { createReportHandlebars } from './handlebars.js';
import { finishReport } from './markdown.js';
import { planReportImages } from './image-names.js';
import { writeReportImages } from './report-images.js';
import { fsyncDirectory } from '../core/fs-durable.js';

export const DEFAULT_TEMPLATE = 'postmortem.md.hbs';

export interface RenderPostmortemOptions {
  /** Where the Markdown is written; its directory is created when missing. */
  outPath: string;
  /** Defaults to the templates/ directory shipped with gotriage ({@link defaultTemplatesDir}). */
  templatesDir?: string;
  /** File name inside templatesDir. Default `postmortem.md.hbs`. */
  template?: string;
  /** Render time written into the report; defaults to now. */
  now?: Date;
}

/**
 * The templates/ directory of the installed package. This file sits in src/report/ when run
 * from source and in dist/report/ when built; both are two levels below the package root.
 */
export function defaultTemplatesDir(): string {
  return fileURLToPath(new URL('../../templates/', import.meta.url));
}

/**
 * Renders the postmortem of `incidentId` and writes it to `options.outPath` atomically
 * (a temp file in the same directory, fsynced, then renamed over the target, so a reader never
 * sees half a report). Returns the absolute path written.
 *
 * Every SVG/PNG artifact is first copied beside it, to `<dir of outPath>/<incident-id>/<name>.svg`
 * (report-images.ts), replacing the copies of an earlier render, so the Markdown's relative image
 * paths resolve when the report is read; a picture whose artifact file is gone is named as missing.
 *
 * Throws UsageError for an unknown incident or a missing/broken template, StepError when the
 * file cannot be written (the session stays resumable), InternalError when a template reads a
 * field the report data lacks (strict mode: a bug, not user input).
 */
export async function renderPostmortem(store: ReportStore, incidentId: string, options: RenderPostmortemOptions): Promise<string> {
  const outPath = resolve(options.outPath);
  const templatesDir = options.templatesDir ?? defaultTemplatesDir();
  const template = options.template ?? DEFAULT_TEMPLATE;
  const reportDir = dirname(outPath);
  await requireIncident(store, incidentId);
  const templates = createReportHandlebars(templatesDir);
  const copiedImages = writeReportImages(planReportImages(await store.artifacts(incidentId), incidentId), reportDir);
  const data = await buildReportData(store, incidentId, { reportDir, now: options.now, copiedImages });

  let markdown: string;
  try {
    markdown = templates.render(template, data);
  } catch (error) {
    if (error instanceof GotriageError) throw error;
    const message = error instanceof Error ? error.message : String(error);
    // Handlebars compiles lazily, so a template's syntax error ("Parse error on line N", a block
    // that "doesn't match", a partial that "could not be found") surfaces here; those are the
    // template author's to fix. A field the data lacks (strict mode, or a printing helper given
    // undefined — see handlebars.ts) is a bug in the template/data pair, reported with its stack.
    if (/^Parse error|Expecting|doesn't match|could not be found/.test(message)) {
      throw new UsageError(
        `template ${join(templatesDir, template)} does not compile: ${message}`,
        'fix the template, or render with the built-in one',
      );
    }
    throw new InternalError(`rendering ${template} failed: ${message}`, { cause: error });
  }
  writeFileAtomically(outPath, finishReport(markdown));
  return outPath;
}

/** Writes `text` to `path` via a sibling temp file + rename; the temp file never outlives a failure. */
function writeFileAtomically(path: string, text: string): void {
  const temp = join(dirname(path), `.${basename(path)}.${process.pid}.${Date.now().toString(36)}.tmp`);
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(temp, 'w', 0o644);
    try {
      // writeFileSync on a descriptor loops until every byte is written.
      writeFileSync(fd, text);
      // rename() is atomic on POSIX, but without fsync a crash can leave the renamed file empty.
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, path);
    fsyncDirectory(dirname(path));
  } catch (error) {
    removeQuietly(temp);
    throw new StepError(
      `could not write the postmortem to ${path}: ${error instanceof Error ? error.message : String(error)}`,
      'choose another path with --out, or free disk space, then resume the session',
    );
  }
}

function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing was created there (e.g. the parent is not a directory): nothing to clean up.
  }
}

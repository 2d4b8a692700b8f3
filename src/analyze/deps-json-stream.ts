/**
 * A streaming splitter for `go list -json` output: a stream of concatenated JSON
 * objects (`{…}\n{…}`), not an array (go-tools.md §7), so JSON.parse on the whole text
 * fails. Objects are yielded one at a time; memory holds one object, not the stream.
 */
import { createReadStream } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { ToolError } from '../core/errors.js';

/** Splits text chunks into top-level JSON values (objects), tracking strings so braces inside them do not count. */
export class JsonObjectSplitter {
  private depth = 0;
  private inString = false;
  private escaped = false;
  private current = '';

  /** Feeds a chunk; returns the objects it completed, parsed. Throws ToolError on text between objects or bad JSON. */
  push(chunk: string): unknown[] {
    const out: unknown[] = [];
    let start = this.depth > 0 ? 0 : -1;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.depth === 0) {
        if (c === '{') {
          this.depth = 1;
          start = i;
        } else if (c !== ' ' && c !== '\n' && c !== '\r' && c !== '\t') {
          throw new ToolError(`go list -json output: unexpected ${JSON.stringify(c)} between objects`);
        }
        continue;
      }
      if (this.inString) {
        if (this.escaped) this.escaped = false;
        else if (c === '\\') this.escaped = true;
        else if (c === '"') this.inString = false;
      } else if (c === '"') this.inString = true;
      else if (c === '{' || c === '[') this.depth++;
      else if (c === '}' || c === ']') {
        this.depth--;
        if (this.depth === 0) {
          out.push(parseObject(this.current + chunk.slice(start, i + 1)));
          this.current = '';
          start = -1;
        }
      }
    }
    if (this.depth > 0 && start >= 0) this.current += chunk.slice(start);
    return out;
  }

  /** Call at the end of input: throws when an object was left open (truncated output). */
  end(): void {
    if (this.depth > 0) throw new ToolError('go list -json output ends inside an object (truncated)');
  }
}

function parseObject(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new ToolError(`go list -json output: bad object (${(err as Error).message})`);
  }
}

/** Yields each object of a `go list -json` output file in order. */
export async function* readJsonObjects(path: string): AsyncGenerator<unknown> {
  const splitter = new JsonObjectSplitter();
  const decoder = new StringDecoder('utf8');
  for await (const chunk of createReadStream(path)) {
    yield* splitter.push(decoder.write(chunk as Buffer));
  }
  yield* splitter.push(decoder.end());
  splitter.end();
}

import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, test } from 'vitest';
import { knownSecrets } from '../../src/core/secret-registry.ts';
import { escapeJsonForTerminal, escapeTerminal } from '../../src/core/terminal-text.ts';
import { Styled, TerminalControl, terminalFor } from '../../src/core/terminal-writer.ts';

/** What a hostile log line or alert title carries, and how it must read once escaped. */
const CASES: [string, string, string][] = [
  ['a CSI colour', 'red \u001b[31mALERT\u001b[0m', 'red \\x1b[31mALERT\\x1b[0m'],
  ['a screen clear and cursor move', '\u001b[2J\u001b[Hgone', '\\x1b[2J\\x1b[Hgone'],
  ['an OSC 8 link', '\u001b]8;;http://evil/\u0007click\u001b]8;;\u0007', '\\x1b]8;;http://evil/\\x07click\\x1b]8;;\\x07'],
  ['a bidi override (Trojan Source)', 'invoice\u202Efdp.exe', 'invoice\\u202efdp.exe'],
  ['bidi isolates and marks', '\u2066a\u2069 \u200f \u061c', '\\u2066a\\u2069 \\u200f \\u061c'],
  ['an 8-bit CSI and DEL', '\u009b31m \u007f', '\\u009b31m \\x7f'],
  ['a carriage return that would overwrite', 'ok\rFAIL', 'ok\\rFAIL'],
  ['a backspace and NUL', 'a\bb\u0000', 'a\\x08b\\x00'],
  ['a line separator', 'one\u2028two', 'one\\u2028two'],
];

describe('escapeTerminal', () => {
  test.each(CASES)('writes %s visibly', (_what, input, shown) => {
    expect(escapeTerminal(input)).toBe(shown);
    expect(escapeTerminal(shown)).toBe(shown);
  });

  test('keeps tabs, newlines, CRLF and ordinary Unicode', () => {
    const text = 'a\tb\nc\r\nÜber 世界 🙂 e\u0301';
    expect(escapeTerminal(text)).toBe(text);
  });
});

describe('escapeJsonForTerminal', () => {
  test('leaves nothing a terminal obeys and parses back to the same value', () => {
    const value = { title: CASES.map(([, input]) => input).join(' | ') };
    const json = escapeJsonForTerminal(JSON.stringify(value, null, 2));
    expect(json).not.toMatch(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2028\u2029\u2066-\u2069]/);
    expect(JSON.parse(json)).toEqual(value);
    expect(json).toContain('\\u202e');
  });
});

/** A stream that records what reaches it, like a terminal would receive it. */
class Capture extends EventEmitter {
  chunks: string[] = [];
  constructor(readonly isTTY: boolean) {
    super();
  }
  write(text: string): boolean {
    this.chunks.push(text);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

describe('terminal writer', () => {
  afterEach(() => knownSecrets.clear());

  test('our own colours and cursor moves pass; the data inside them is escaped', () => {
    const tty = new Capture(true);
    const out = terminalFor(tty, { color: true });
    out.write(new Styled('31', 'error: '), 'boom \u001b[2J\u202e', TerminalControl.eraseLinesAbove(2), '\n');
    expect(tty.text).toBe('\u001b[31merror: \u001b[0mboom \\x1b[2J\\u202e\r\u001b[2A\u001b[J\n');
  });

  test('without colour (NO_COLOR, a pipe) a styled text is plain', () => {
    const pipe = new Capture(false);
    terminalFor(pipe, { color: false }).line(new Styled('33', 'warning: '), 'x');
    expect(pipe.text).toBe('warning: x\n');
  });

  test('redacts known secrets, also when written in two pieces', () => {
    knownSecrets.add('s3cr3t-value');
    const pipe = new Capture(false);
    const out = terminalFor(pipe);
    out.write('token s3cr');
    out.write('3t-value sent\n');
    out.line('Authorization: Bearer abc.def');
    expect(pipe.text).toBe('token *** sent\nAuthorization: ***\n');
  });

  test('json output is valid JSON with controls as \\u escapes and secrets masked', () => {
    knownSecrets.add('hunter2-pw');
    const pipe = new Capture(false);
    terminalFor(pipe).json({ title: 'a\u001b[31m\u202eb', pw: 'is hunter2-pw' });
    expect(pipe.text).not.toMatch(/[\u001b\u202e]/);
    expect(JSON.parse(pipe.text)).toEqual({ title: 'a\u001b[31m\u202eb', pw: 'is ***' });
  });

  test('a reader that went away (EPIPE) ends the output quietly; other errors still surface', () => {
    const pipe = new Capture(false);
    const out = terminalFor(pipe);
    out.line('first');
    pipe.emit('error', Object.assign(new Error('write EPIPE'), { code: 'EPIPE' }));
    out.line('second');
    expect(out.closed).toBe(true);
    expect(pipe.text).toBe('first\n');
    expect(() => pipe.emit('error', Object.assign(new Error('write EIO'), { code: 'EIO' }))).toThrow('EIO');
  });
});

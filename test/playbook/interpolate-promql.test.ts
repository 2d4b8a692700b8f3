import { describe, expect, it } from 'vitest';
import { fillPromQL } from '../../src/playbook/interpolate-promql.ts';
import { UsageError } from '../../src/core/errors.ts';

const where = 'action metrics query q';

describe('fillPromQL', () => {
  it('escapes values inside double- and single-quoted strings so they stay one label value', () => {
    const values = { job: 'x"} or vector(1) #', ns: "it's\\here\n" };
    expect(fillPromQL('up{job="{{job}}"}', values, where)).toBe('up{job="x\\"} or vector(1) #"}');
    expect(fillPromQL("up{ns='{{ns}}'}", values, where)).toBe("up{ns='it\\'s\\\\here\\n'}");
  });

  it('allows plain numbers, durations and names outside strings, and refuses anything else there', () => {
    const values = { window: '5m', q: '0.99', metric: 'http_requests_total', evil: '5m]) or vector(1' };
    expect(fillPromQL('histogram_quantile({{q}}, rate({{metric}}[{{window}}]))', values, where)).toBe(
      'histogram_quantile(0.99, rate(http_requests_total[5m]))',
    );
    expect(() => fillPromQL('rate(x[{{evil}}])', values, where)).toThrow(UsageError);
    expect(() => fillPromQL('rate(x[{{evil}}])', values, where)).toThrow(
      /outside a string literal.*put the placeholder inside quotes|outside a string literal/,
    );
  });

  it('does not end a string at an escaped quote in the template', () => {
    expect(fillPromQL('up{a="x\\"{{v}}"}', { v: '"' }, where)).toBe('up{a="x\\"\\""}');
  });

  it('refuses a backtick inside a raw string, where it cannot be escaped', () => {
    expect(fillPromQL('up{a=~`{{v}}`}', { v: 'a.*' }, where)).toBe('up{a=~`a.*`}');
    expect(() => fillPromQL('up{a=~`{{v}}`}', { v: 'a`b' }, where)).toThrow(/backtick/);
  });

  it('names an unknown placeholder and where its value would come from', () => {
    expect(() => fillPromQL('up{job="{{service}}"}', {}, where)).toThrow(
      /action metrics query q: unknown placeholder \{\{service\}\}.*--service/,
    );
  });

  it('fills in one pass: a value holding {{x}} stays literal', () => {
    expect(fillPromQL('up{a="{{v}}"}', { v: '{{secret}}', secret: 'no' }, where)).toBe('up{a="{{secret}}"}');
  });

  it('leaves comments alone: a quote in a comment opens no string', () => {
    expect(fillPromQL('up # it\'s a "comment\nup{a="{{v}}"}', { v: 'x"' }, where)).toBe('up # it\'s a "comment\nup{a="x\\""}');
  });
});

/**
 * Turns the playbook's hypothesis templates into concrete hypotheses: one per finding
 * that the template's `forEach` selects, its statement and check filled with that
 * finding's function, file and line. Values are filled as text (never compiled as a
 * template) and regexp-escaped where they land in a check's `func` pattern.
 */
import type { Finding, Hypothesis } from '../core/model.js';
import { fillText } from '../playbook/interpolate.js';
import type { FindingCheck, PlaybookHypothesis } from '../playbook/schema.js';

export interface ProposedHypothesis extends Hypothesis {
  check: FindingCheck;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function findingValues(finding: Finding): Record<string, string> {
  return {
    'finding.func': finding.location?.func ?? finding.title,
    'finding.file': finding.location?.file ?? '',
    'finding.line': finding.location?.line !== undefined ? String(finding.location.line) : '',
    'finding.title': finding.title,
  };
}

export function proposeHypotheses(templates: readonly PlaybookHypothesis[], findings: readonly Finding[]): ProposedHypothesis[] {
  const byKey = new Map<string, ProposedHypothesis>();
  for (const template of templates) {
    const selector = template.forEach.func ? new RegExp(`^(?:${template.forEach.func})$`) : null;
    for (const finding of findings) {
      if (finding.kind !== template.forEach.kind) continue;
      const values = findingValues(finding);
      if (selector && !selector.test(values['finding.func']!)) continue;
      const bounds = Object.entries(template.forEach.metrics ?? {});
      if (bounds.some(([metric, bound]) => !((finding.metrics[metric] ?? -Infinity) >= bound))) continue;
      const key = `${template.id}:${values['finding.func']}`;
      if (byKey.has(key)) continue;
      const escaped = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, escapeRegExp(v)]));
      byKey.set(key, {
        key,
        statement: fillText(template.statement, values),
        check: { ...template.check, func: template.check.func ? fillText(template.check.func, escaped) : undefined },
        verdict: 'pending',
        evidence: '',
      });
    }
  }
  return [...byKey.values()];
}

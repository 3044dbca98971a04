/**
 * Recipe steps in words, for the recipe list and the journal: "Trim ADDRESSCITY where COUNTRY is
 * USA". The steps themselves are declared in shared/api/domains/datasets.ts.
 */
import type { RecipeStep } from '../../api/domains/datasets';
import { TRANSFORM_LABELS } from './cells';

type Where = RecipeStep['where'];

const OP_WORDS: Readonly<Record<string, string>> = {
  contains: 'contains',
  notContains: 'does not contain',
  equals: 'is',
  notEqual: 'is not',
  startsWith: 'starts with',
  endsWith: 'ends with',
  blank: 'is blank',
  notBlank: 'is not blank',
};

function quoted(text: string): string {
  const short = text.length > 40 ? `${text.slice(0, 39)}…` : text;
  return `"${short}"`;
}

export function describeWhere(where: Where): string {
  const parts = where.filters.map((f) => {
    if (f.op === 'in') {
      const shown = f.values.slice(0, 3).map(quoted).join(', ');
      const more = f.values.length > 3 ? ` and ${f.values.length - 3} more` : '';
      return f.values.length === 1 ? `${f.column} is ${shown}` : `${f.column} is one of ${shown}${more}`;
    }
    return f.op === 'blank' || f.op === 'notBlank'
      ? `${f.column} ${OP_WORDS[f.op]}`
      : `${f.column} ${OP_WORDS[f.op]} ${quoted(f.value)}`;
  });
  if (where.issues) {
    const rule = where.issues.rule ? `"${where.issues.rule}" findings` : 'findings';
    parts.push(where.issues.column ? `${where.issues.column} has ${rule}` : `the row has ${rule}`);
  }
  return parts.length === 0 ? '' : ` where ${parts.join(' and ')}`;
}

export function describeStep(step: RecipeStep): string {
  const where = describeWhere(step.where);
  switch (step.op) {
    case 'replace': {
      const scope = step.columns.length === 0 ? 'all columns' : step.columns.join(', ');
      const how = step.find.wholeCell ? 'cells equal to' : '';
      return `Replace ${how ? `${how} ` : ''}${quoted(step.find.text)} with ${quoted(step.replacement)} in ${scope}${where}`;
    }
    case 'fillDown':
      return `Fill down blank ${step.column} cells${step.sort.length > 0 ? ` (sorted by ${step.sort.map((s) => s.column).join(', ')})` : ''}${where}`;
    case 'setValue':
      return step.value === '' ? `Clear ${step.column}${where}` : `Set ${step.column} to ${quoted(step.value)}${where}`;
    case 'transform':
      return `${TRANSFORM_LABELS[step.transform]}: ${step.columns.join(', ')}${where}`;
    case 'mapValues':
      return `Map ${step.column} with the value table ${quoted(step.name)} (${step.rules.length} ${step.rules.length === 1 ? 'rule' : 'rules'})${where}`;
  }
}

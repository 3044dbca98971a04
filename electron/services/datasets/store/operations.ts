/**
 * Bulk operations as commands: each walks the rows of a view, collects the cells it changes
 * (ChangeBuilder) and carries its recipe step, with columns and filters by name so that it
 * replays on another extract. Converting between views (column indices) and recipe "where"
 * clauses (column names) lives here too.
 */
import type { DatasetView, RecipeStep } from '../../../../shared/api/domains/datasets';
import { isBlank, findTest, replaceInCell, transformCell } from '../../../../shared/domain/datasets/cells';
import { describeStep } from '../../../../shared/domain/datasets/recipes';
import { AppError } from '../../../../shared/api/errors';
import { compileTable } from '../../../../shared/domain/valueMapping';
import type { ValueRule } from '../../../../shared/domain/valueMapping';
import { ChangeBuilder } from './journal';
import type { Command } from './journal';
import type { Table } from './table';
import { indexAt } from './views';
import type { ResolvedView } from './views';

type Where = RecipeStep['where'];
type Sort = Extract<RecipeStep, { op: 'fillDown' }>['sort'];

function nameOf(table: Table, column: number): string {
  const c = table.columns[column];
  if (!c) throw new AppError('INVALID_PARAMS', `The dataset has no column ${column}.`);
  return c.name;
}

/** The view's filters as a recipe "where" clause (columns by name). */
export function whereOf(table: Table, view: DatasetView): Where {
  return {
    filters: view.filters.map((f) =>
      f.op === 'in'
        ? { column: nameOf(table, f.column), op: 'in' as const, values: [...f.values] }
        : { column: nameOf(table, f.column), op: f.op, value: f.value },
    ),
    issues: view.issues
      ? {
          ...(view.issues.rule ? { rule: view.issues.rule } : {}),
          ...(view.issues.column !== undefined && view.issues.column >= 0
            ? { column: nameOf(table, view.issues.column) }
            : {}),
        }
      : null,
  };
}

export function sortOf(table: Table, view: DatasetView): Sort {
  return view.sort.map((s) => ({ column: nameOf(table, s.column), desc: s.desc }));
}

/** The column index of a name a recipe step uses, or a clear error. */
export function columnNamed(table: Table, name: string, what: string): number {
  const index = table.findColumn(name);
  if (index < 0) {
    throw new AppError(
      'INVALID_INPUT',
      `${what} names the column ${name}, which this dataset does not have. Rename the column in the file, or remove the step.`,
    );
  }
  return index;
}

/** A recipe step's "where" (and sort) as a view of this table. */
export function viewOf(table: Table, where: Where, sort: Sort, what: string): DatasetView {
  return {
    sort: sort.map((s) => ({ column: columnNamed(table, s.column, what), desc: s.desc })),
    filters: where.filters.map((f) =>
      f.op === 'in'
        ? { column: columnNamed(table, f.column, what), op: 'in' as const, values: f.values }
        : { column: columnNamed(table, f.column, what), op: f.op, value: f.value },
    ),
    issues: where.issues
      ? {
          ...(where.issues.rule ? { rule: where.issues.rule } : {}),
          ...(where.issues.column ? { column: columnNamed(table, where.issues.column, what) } : {}),
        }
      : null,
  };
}

function editable(table: Table, column: number): void {
  const c = table.columns[column];
  if (!c) throw new AppError('INVALID_PARAMS', `The dataset has no column ${column}.`);
  if (c.readOnly) {
    throw new AppError(
      'INVALID_INPUT',
      `${c.name} is read-only (it came with the rows, e.g. an error message). Fix the data columns instead.`,
    );
  }
}

function editableColumns(table: Table, columns: readonly number[]): number[] {
  if (columns.length === 0) return table.columns.flatMap((c, i) => (c.readOnly ? [] : [i]));
  for (const c of columns) editable(table, c);
  return [...new Set(columns)];
}

/** Runs an operation over the rows of a view and returns its command. */
function over(
  table: Table,
  view: ResolvedView,
  step: RecipeStep,
  visit: (index: number, changes: ChangeBuilder) => void,
): Command {
  const changes = new ChangeBuilder(table);
  for (let p = 0; p < view.length; p++) visit(indexAt(view, p), changes);
  return changes.build(describeStep(step), step);
}

export function planBulk(table: Table, view: ResolvedView, spec: DatasetView, op: BulkOp): Command {
  const where = whereOf(table, spec);
  switch (op.op) {
    case 'replace': {
      const columns = editableColumns(table, op.columns);
      const test = findTest(op.query);
      const step: RecipeStep = {
        op: 'replace',
        columns: op.columns.length === 0 ? [] : columns.map((c) => nameOf(table, c)),
        find: op.query,
        replacement: op.replacement,
        where,
      };
      return over(table, view, step, (index, changes) => {
        for (const c of columns) {
          const cell = table.get(index, c);
          if (test(cell)) changes.set(index, c, replaceInCell(op.query, cell, op.replacement));
        }
      });
    }
    case 'fillDown': {
      editable(table, op.column);
      const step: RecipeStep = { op: 'fillDown', column: nameOf(table, op.column), sort: sortOf(table, spec), where };
      let above: string | null = null;
      return over(table, view, step, (index, changes) => {
        const cell = table.get(index, op.column);
        if (!isBlank(cell)) above = cell;
        else if (above !== null) changes.set(index, op.column, above);
      });
    }
    case 'setValue': {
      editable(table, op.column);
      const step: RecipeStep = { op: 'setValue', column: nameOf(table, op.column), value: op.value, where };
      return over(table, view, step, (index, changes) => changes.set(index, op.column, op.value));
    }
    case 'transform': {
      const columns = editableColumns(table, op.columns);
      const step: RecipeStep = {
        op: 'transform',
        columns: columns.map((c) => nameOf(table, c)),
        transform: op.transform,
        where,
      };
      return over(table, view, step, (index, changes) => {
        for (const c of columns) changes.set(index, c, transformCell(op.transform, table.get(index, c)));
      });
    }
    case 'mapValues': {
      editable(table, op.column);
      const step: RecipeStep = {
        op: 'mapValues',
        column: nameOf(table, op.column),
        table: op.table,
        name: op.name,
        rules: [...op.rules],
        targets: [...op.targets],
        where,
      };
      const map = compileTable(
        { id: op.table, entity: '', field: step.column, rules: op.rules },
        { targets: op.targets },
      );
      // A column of a million cells holds a few hundred codes: each is mapped once.
      const seen = new Map<string, string>();
      return over(table, view, step, (index, changes) => {
        const cell = table.get(index, op.column);
        let to = seen.get(cell);
        if (to === undefined) {
          to = map(cell).value;
          seen.set(cell, to);
        }
        if (to !== cell) changes.set(index, op.column, to);
      });
    }
  }
}

/** A bulk operation with columns by index (what the grid sends). */
export type BulkOp =
  | {
      readonly op: 'replace';
      readonly columns: readonly number[];
      readonly query: Extract<RecipeStep, { op: 'replace' }>['find'];
      readonly replacement: string;
    }
  | { readonly op: 'fillDown'; readonly column: number }
  | { readonly op: 'setValue'; readonly column: number; readonly value: string }
  | {
      readonly op: 'transform';
      readonly columns: readonly number[];
      readonly transform: Extract<RecipeStep, { op: 'transform' }>['transform'];
    }
  | {
      readonly op: 'mapValues';
      readonly column: number;
      readonly table: string;
      readonly name: string;
      readonly rules: readonly ValueRule[];
      readonly targets: readonly string[];
    };

/** A recipe step as a bulk operation and view of this table (for replay). */
export function fromStep(table: Table, step: RecipeStep, what: string): { op: BulkOp; view: DatasetView } {
  switch (step.op) {
    case 'replace':
      return {
        op: {
          op: 'replace',
          columns: step.columns.map((c) => columnNamed(table, c, what)),
          query: step.find,
          replacement: step.replacement,
        },
        view: viewOf(table, step.where, [], what),
      };
    case 'fillDown':
      return {
        op: { op: 'fillDown', column: columnNamed(table, step.column, what) },
        view: viewOf(table, step.where, step.sort, what),
      };
    case 'setValue':
      return {
        op: { op: 'setValue', column: columnNamed(table, step.column, what), value: step.value },
        view: viewOf(table, step.where, [], what),
      };
    case 'transform':
      return {
        op: {
          op: 'transform',
          columns: step.columns.map((c) => columnNamed(table, c, what)),
          transform: step.transform,
        },
        view: viewOf(table, step.where, [], what),
      };
    case 'mapValues':
      return {
        op: {
          op: 'mapValues',
          column: columnNamed(table, step.column, what),
          table: step.table,
          name: step.name,
          rules: step.rules,
          targets: step.targets,
        },
        view: viewOf(table, step.where, [], what),
      };
  }
}

/**
 * Row and cell validation against the catalog (built-in or live metadata), streaming.
 *
 * A session covers one package: it knows which entities the package holds and an optional
 * reference snapshot of the target environment. Each data file gets an EntityValidator, created
 * once with its column mapping, fed batches of rows (string[][] with their row numbers), then
 * finished for the checks that need every row (references to entities validated later, and to
 * the entity itself). Duplicate keys are reported as soon as the repeat is seen.
 *
 * Memory is bounded: one KeySet per key and per referenced projection (about 24 MB per million
 * keys, at most `maxKeys` each), pending references up to `maxPendingReferences` distinct values
 * per file, and at most `maxFindingsPerRule` kept findings per rule and column (all are counted).
 */
import type { CatalogIndex } from '../catalog/lookup';
import type { CatalogEntity, CatalogField, EntityRelation } from '../catalog/types';
import { checkerFor, lengthThatFits } from './cells';
import type { CellChecker, ValueFormats } from './cells';
import { FILE_FORMAT_SOURCE, LIMIT_SOURCE, gradeSeverity, sourceLabel, weakest } from './grading';
import type { RuleSource } from './grading';
import { DEFAULT_MAX_KEYS, KEY_SEPARATOR, KeySet, normalizeKeyPart } from './keySet';
import type { ColumnMapping, Finding, ReferenceSnapshot, RuleCode, Severity, ValidationSummary } from './types';

/**
 * Keys another file holds (a sibling of the package, open in the grid or read from disk), handed
 * over already hashed: the values of `fields` normalised (normalizeKeyPart) and joined with
 * KEY_SEPARATOR.
 */
export interface ReferenceKeys {
  /** Label, target entity or public name. */
  readonly entity: string;
  /** Staging fields the keys are made of, in order. */
  readonly fields: readonly string[];
  readonly keys: KeySet;
  /** How findings name it: "Customer groups.csv (open in the grid)". */
  readonly label: string;
}

export interface ValidationSessionOptions {
  readonly catalog: CatalogIndex;
  /** Labels (or names) of the package's entities: references between them are checked. */
  readonly packageEntities?: readonly string[];
  readonly snapshot?: ReferenceSnapshot;
  /** How findings name the files validated in the session: "this package" (default), "this file". */
  readonly packageLabel?: string;
  /** Keys of other files of the package that are not validated in this session. */
  readonly referenceKeys?: readonly ReferenceKeys[];
  readonly formats?: ValueFormats;
  /** Findings kept per rule and column (all are counted). Default 1000. */
  readonly maxFindingsPerRule?: number;
  /** Keys held per key set. Default 10,000,000 (about 240 MB at worst). */
  readonly maxKeys?: number;
  /** Distinct values waiting for a later reference check, per file. Default 1,000,000. */
  readonly maxPendingReferences?: number;
}

export interface EntityValidator {
  readonly entity: CatalogEntity;
  /** Column-level findings (row 0), known from the mapping alone. */
  readonly headerFindings: readonly Finding[];
  /**
   * Validates a batch. `rowNumbers` is the 1-based data row of the first row (the rest follow
   * on), or one row number per row when the reader skipped some. Returns the batch's findings.
   */
  validateRows(rows: readonly (readonly string[])[], rowNumbers: number | readonly number[]): Finding[];
  /** Cross-row checks that needed every row. Call once, after the last batch. */
  finish(): Finding[];
  summary(): ValidationSummary;
}

export interface ValidationSession {
  validator(entity: string, columns: readonly ColumnMapping[]): EntityValidator;
  /** Reference checks that waited for entities finished after the referencing one, per entity label. */
  finish(): { readonly entity: string; readonly findings: readonly Finding[] }[];
}

/** Auto-mapping as DMF does it: a header cell maps to the staging field of the same name, case-insensitively. */
export function mapColumns(header: readonly string[], entity: CatalogEntity): ColumnMapping[] {
  const byName = new Map<string, string>();
  for (const f of entity.fields) {
    byName.set(f.name.toLowerCase(), f.name);
    byName.set(f.publicName.toLowerCase(), f.name);
  }
  // Columns F&O exports but leaves out of its own mapping are left unmapped, as F&O does.
  const exportedOnly = new Set((entity.exportedOnly ?? []).map((f) => f.toLowerCase()));
  return header.map((column) => {
    const name = column.trim();
    if (name === '' || exportedOnly.has(name.toLowerCase())) return { column, field: null };
    // An unknown header still maps to its upper-cased name, so validation can report it.
    return { column, field: byName.get(name.toLowerCase()) ?? name.toUpperCase() };
  });
}

/** DATAAREAID: not an entity field in the catalog, but a staging column of company-specific entities. */
const DATAAREAID: CatalogField = {
  name: 'DATAAREAID',
  publicName: 'dataAreaId',
  type: 'String',
  maxLength: 4,
  mandatory: false,
};

const VALUE_PREVIEW = 200;

interface KeySource {
  readonly sets: KeySet[];
  complete: boolean;
  /** What the keys were gathered from, for the findings: "this package", a snapshot, a file. */
  readonly against: string[];
}

interface Pending {
  readonly value: string;
  readonly rows: number[];
}

interface RelationPlan {
  readonly relation: EntityRelation;
  readonly rule: RuleSource;
  readonly target: CatalogEntity;
  readonly columns: readonly number[];
  /** The first column, for findings. */
  readonly column: string;
  readonly source: KeySource;
  readonly pending: Map<string, Pending>;
}

export function createValidationSession(options: ValidationSessionOptions): ValidationSession {
  const { catalog } = options;
  const maxFindings = options.maxFindingsPerRule ?? 1000;
  const maxKeys = options.maxKeys ?? DEFAULT_MAX_KEYS;
  const maxPending = options.maxPendingReferences ?? 1_000_000;
  const packageTargets = new Set(
    (options.packageEntities ?? []).flatMap((n) => {
      const e = catalog.findEntity(n);
      return e ? [e.targetEntity] : [];
    }),
  );
  /** Key sources per target entity and field list ("A|B"), filled by validators and the snapshot. */
  const sources = new Map<string, KeySource>();
  const validators: Validator[] = [];
  const sourceKey = (target: string, fields: readonly string[]) => `${target}\u0000${fields.join('|')}`;

  const snapshotLabel = options.snapshot?.label ?? 'the reference snapshot';
  function snapshotSet(target: CatalogEntity, fields: readonly string[]): KeySet | null {
    const rows = (options.snapshot?.entities ?? []).filter((s) => catalog.findEntity(s.entity) === target);
    if (rows.length === 0) return null;
    const set = new KeySet(maxKeys);
    let usable = false;
    for (const snap of rows) {
      const upper = snap.fields.map((f) => f.toUpperCase());
      const positions = fields.map((f) => upper.indexOf(f));
      if (positions.some((p) => p < 0)) continue;
      usable = true;
      for (const row of snap.rows) set.add(positions.map((p) => normalizeKeyPart(row[p] ?? '')).join(KEY_SEPARATOR), 1);
    }
    return usable ? set : null;
  }

  /** Keys handed over for `target`'s `fields`, with what they were read from. */
  function handedOver(target: CatalogEntity, fields: readonly string[]): ReferenceKeys[] {
    const wanted = fields.join('|');
    return (options.referenceKeys ?? []).filter(
      (k) => catalog.findEntity(k.entity) === target && k.fields.map((f) => f.toUpperCase()).join('|') === wanted,
    );
  }

  /** The key source for references to `target`'s `fields`, or null when nothing can answer. */
  function sourceFor(target: CatalogEntity, fields: readonly string[], requester: CatalogEntity): KeySource | null {
    const key = sourceKey(target.targetEntity, fields);
    let source = sources.get(key);
    if (!source) {
      const fromSnapshot = snapshotSet(target, fields);
      const given = handedOver(target, fields);
      const inPackage = packageTargets.has(target.targetEntity) || target === requester;
      if (!fromSnapshot && given.length === 0 && !inPackage) return null;
      source = {
        sets: [...(fromSnapshot ? [fromSnapshot] : []), ...given.map((g) => g.keys)],
        complete: !inPackage,
        against: [
          ...(inPackage ? [options.packageLabel ?? 'this package'] : []),
          ...given.map((g) => g.label),
          ...(fromSnapshot ? [snapshotLabel] : []),
        ],
      };
      sources.set(key, source);
    }
    return source;
  }

  class Validator implements EntityValidator {
    readonly headerFindings: Finding[] = [];
    private readonly counts = new Map<string, number>();
    private readonly byRule: Partial<Record<RuleCode, number>> = {};
    private errors = 0;
    private warnings = 0;
    private truncated = false;
    private rows = 0;
    private cells = 0;
    private readonly plans: {
      index: number;
      column: string;
      field: CatalogField;
      fits: number;
      checker: CellChecker;
      /** Where the field's type and length rules come from (and its enum's values). */
      rule: RuleSource;
      /** Where its mandatory flag comes from. */
      mandatory: RuleSource;
    }[] = [];
    private readonly keyColumns: number[] = [];
    private readonly keySet: KeySet;
    private keySetFull = false;
    private keyAnswers = new Int32Array(0);
    private readonly relations: RelationPlan[] = [];
    private readonly projections: { columns: number[]; set: KeySet }[] = [];
    private pendingCount = 0;
    private pendingFull = false;
    private readonly unchecked = new Set<string>();
    finished = false;
    private readonly width: number;
    /** Where the entity's key and field list come from. */
    private readonly entityRule: RuleSource;

    constructor(
      readonly entity: CatalogEntity,
      private readonly columns: readonly ColumnMapping[],
    ) {
      this.width = columns.length;
      this.entityRule = { provenance: catalog.provenanceOf(entity), inferred: false };
      this.keySet = new KeySet(maxKeys);
      this.planColumns();
      this.planRelations();
    }

    private planColumns(): void {
      const seen = new Map<string, string>();
      this.columns.forEach((mapping, index) => {
        if (mapping.field === null) return;
        const name = mapping.field.toUpperCase();
        const field =
          catalog.findField(this.entity, name) ??
          (this.entity.companySpecific && name === 'DATAAREAID' ? DATAAREAID : undefined);
        if (!field) {
          const complete = this.entity.fieldCoverage === 'complete';
          this.header(
            'unknown-column',
            complete ? 'error' : 'warning',
            this.entityRule,
            mapping.column,
            null,
            complete
              ? `${mapping.column} is not a field of ${this.entity.label}: rename the column to a staging field name or leave it out of the mapping.`
              : `${mapping.column} is not among the ${this.entity.label} fields the ${catalog.catalog.origin} catalog knows: check the spelling, or validate against the environment's metadata.`,
          );
          return;
        }
        const earlier = seen.get(field.name);
        if (earlier !== undefined) {
          this.header(
            'duplicate-column',
            'error',
            null,
            mapping.column,
            field.name,
            `${mapping.column} maps to ${field.name}, which ${earlier} already feeds: map only one column to each field.`,
          );
          return;
        }
        seen.set(field.name, mapping.column);
        const enumDef = field.enumType === undefined ? undefined : catalog.findEnum(field.enumType);
        const fieldRule: RuleSource = {
          provenance: catalog.provenanceOf(this.entity, field),
          inferred: field.inferred === true,
        };
        this.plans.push({
          index,
          column: mapping.column,
          field,
          fits: lengthThatFits(field),
          checker: checkerFor(field, enumDef, options.formats ?? {}),
          rule: enumDef
            ? weakest(fieldRule, { provenance: catalog.provenanceOf(null, enumDef), inferred: false })
            : fieldRule,
          mandatory: { ...fieldRule, inferred: fieldRule.inferred || field.mandatoryInferred === true },
        });
      });
      const columnOf = new Map(this.plans.map((p) => [p.field.name, p.index]));
      const dataArea = columnOf.get('DATAAREAID');
      if (dataArea !== undefined) this.keyColumns.push(dataArea);
      for (const key of this.entity.keys) {
        const column = columnOf.get(key);
        if (column === undefined) {
          this.header(
            'unmapped-key',
            'error',
            this.entityRule,
            '',
            key,
            `The key field ${key} of ${this.entity.label} has no column: add a ${key} column, DMF needs the whole key.`,
          );
        } else this.keyColumns.push(column);
      }
      if (this.keyColumns.length !== this.entity.keys.length + (dataArea === undefined ? 0 : 1))
        this.keyColumns.length = 0;
      for (const f of this.entity.fields) {
        if (f.mandatory && !this.entity.keys.includes(f.name) && !columnOf.has(f.name)) {
          this.header(
            'unmapped-mandatory',
            'error',
            {
              provenance: catalog.provenanceOf(this.entity, f),
              inferred: f.inferred === true || f.mandatoryInferred === true,
            },
            '',
            f.name,
            `The mandatory field ${f.name} of ${this.entity.label} has no column: add it, or the rows will fail when DMF copies them to the target.`,
          );
        }
      }
    }

    private planRelations(): void {
      const columnOf = new Map(this.plans.map((p) => [p.field.name, p]));
      for (const relation of this.entity.relations) {
        const plans = relation.fields.map((f) => columnOf.get(f));
        if (plans.some((p) => p === undefined)) continue; // not mapped: nothing to check
        const target = catalog.findEntity(relation.target);
        if (!target) continue;
        const source = sourceFor(target, relation.targetFields, this.entity);
        if (!source) {
          this.unchecked.add(target.label);
          continue;
        }
        this.relations.push({
          relation,
          rule: { provenance: catalog.provenanceOf(this.entity, relation), inferred: relation.inferred === true },
          target,
          columns: plans.map((p) => p?.index ?? 0),
          column: plans[0]?.column ?? '',
          source,
          pending: new Map(),
        });
      }
    }

    /** Registers the key sets other files' references will ask for. */
    registerKeySources(): void {
      const dataAreaMapped = this.plans.some((p) => p.field.name === 'DATAAREAID');
      const wanted = new Map<string, readonly string[]>();
      for (const e of catalog.catalog.entities) {
        if (e !== this.entity && !packageTargets.has(e.targetEntity)) continue;
        for (const r of e.relations)
          if (r.target === this.entity.targetEntity) wanted.set(r.targetFields.join('|'), r.targetFields);
      }
      for (const fields of wanted.values()) {
        const source = sourceFor(this.entity, fields, this.entity);
        if (!source) continue;
        const sameAsKey = fields.join('|') === this.entity.keys.join('|');
        if (sameAsKey && !dataAreaMapped && this.keyColumns.length > 0) {
          source.sets.push(this.keySet);
          continue;
        }
        const columns = fields.map((f) => this.plans.find((p) => p.field.name === f)?.index ?? -1);
        if (columns.some((c) => c < 0)) continue;
        const set = new KeySet(maxKeys);
        source.sets.push(set);
        this.projections.push({ columns, set });
      }
    }

    /** A column-level finding; `source` null: a rule of the file format, which keeps its severity. */
    private header(
      rule: RuleCode,
      severity: Severity,
      source: RuleSource | null,
      column: string,
      field: string | null,
      message: string,
    ): void {
      const finding: Finding = {
        row: 0,
        column,
        field,
        rule,
        severity: source ? gradeSeverity(severity, source) : severity,
        message,
        source: source ? sourceLabel(source) : FILE_FORMAT_SOURCE,
      };
      if (this.count(finding)) this.headerFindings.push(finding);
    }

    /** Counts a finding; true when it is within the cap and should be kept. */
    private count(finding: Finding): boolean {
      this.byRule[finding.rule] = (this.byRule[finding.rule] ?? 0) + 1;
      if (finding.severity === 'error') this.errors++;
      else this.warnings++;
      const key = `${finding.rule}\u0000${finding.column}`;
      const n = (this.counts.get(key) ?? 0) + 1;
      this.counts.set(key, n);
      if (n > maxFindings) {
        this.truncated = true;
        return false;
      }
      return true;
    }

    private emit(out: Finding[], finding: Finding): void {
      if (this.count(finding)) out.push(finding);
    }

    validateRows(rows: readonly (readonly string[])[], rowNumbers: number | readonly number[]): Finding[] {
      if (this.finished)
        throw new Error(`The ${this.entity.label} validator is finished; create a new one to validate again.`);
      const out: Finding[] = [];
      const plans = this.plans;
      const keyed = this.keyColumns.length > 0;
      // Keys go in before the rows' cells are checked, all at once (see KeySet.addRows); the
      // findings keep their order, and nothing reads this key set before the file is finished.
      if (keyed) {
        if (this.keyAnswers.length < rows.length) this.keyAnswers = new Int32Array(rows.length);
        this.keySet.addRows(rows, this.keyColumns, rowNumbers, this.keyAnswers);
      }
      for (let r = 0; r < rows.length; r++) {
        const row = rows[r] ?? [];
        const rowNo = typeof rowNumbers === 'number' ? rowNumbers + r : (rowNumbers[r] ?? 0);
        if (row.length > this.width) {
          this.emit(out, {
            row: rowNo,
            column: '',
            field: null,
            rule: 'extra-cells',
            severity: 'error',
            message: `Row ${rowNo} has ${row.length} cells but the header has ${this.width}: quote values that contain the delimiter, or remove the extra cells.`,
            source: FILE_FORMAT_SOURCE,
          });
        }
        for (let p = 0; p < plans.length; p++) {
          const plan = plans[p];
          if (plan === undefined) continue;
          const cell = row[plan.index] ?? '';
          // Blank-looking cells: only then is the (allocating) trim needed.
          if (
            cell === '' ||
            ((cell.charCodeAt(0) <= 32 || cell.charCodeAt(cell.length - 1) <= 32) && cell.trim() === '')
          ) {
            if (plan.field.mandatory) this.mandatory(out, rowNo, plan);
            continue;
          }
          if (cell.length <= plan.fits) continue;
          const problem = plan.checker(cell);
          if (problem !== null) {
            this.emit(out, {
              row: rowNo,
              column: plan.column,
              field: plan.field.name,
              rule: problem.rule,
              severity: gradeSeverity(problem.severity, plan.rule),
              message: `${plan.field.name} "${preview(cell, 60)}" ${problem.message}`,
              source: sourceLabel(plan.rule),
              value: preview(cell, VALUE_PREVIEW),
            });
          }
        }
        this.cells += plans.length;
        if (keyed) this.checkKey(out, row, rowNo, this.keyAnswers[r] ?? 0);
        for (const projection of this.projections) {
          const key = keyOf(row, projection.columns);
          if (key !== null) projection.set.add(key, rowNo);
        }
        for (const relation of this.relations) this.checkReference(out, relation, row, rowNo);
      }
      this.rows += rows.length;
      return out;
    }

    private mandatory(
      out: Finding[],
      row: number,
      plan: { column: string; field: CatalogField; mandatory: RuleSource },
    ): void {
      const { column, field } = plan;
      const relation = this.entity.relations.find((r) => r.fields.includes(field.name));
      const target = relation && catalog.findEntity(relation.target);
      this.emit(out, {
        row,
        column,
        field: field.name,
        rule: 'mandatory',
        severity: gradeSeverity('error', plan.mandatory),
        source: sourceLabel(plan.mandatory),
        message:
          `${field.name} is empty but mandatory for ${this.entity.label}: ` +
          (target ? `enter a value that exists in ${target.label}.` : 'enter a value.'),
      });
    }

    /** `earlier`: what the key set answered for the row's key. */
    private checkKey(out: Finding[], row: readonly string[], rowNo: number, earlier: number): void {
      // NO_KEY: an empty key part, already a mandatory finding
      if (earlier === KeySet.NO_KEY || earlier === 0) return;
      if (earlier === KeySet.FULL) {
        if (!this.keySetFull) {
          this.keySetFull = true;
          this.emit(
            out,
            limitFinding(
              rowNo,
              `Duplicate keys are checked for the first ${maxKeys} keys only: split the file to check the rest.`,
            ),
          );
        }
        return;
      }
      const shown = this.keyColumns
        .map((c) => `${this.columns[c]?.field ?? ''}="${preview(row[c] ?? '', 60)}"`)
        .join(', ');
      this.emit(out, {
        row: rowNo,
        column: this.columns[this.keyColumns[this.keyColumns.length - 1] ?? 0]?.column ?? '',
        field: this.entity.keys[this.entity.keys.length - 1] ?? null,
        rule: 'duplicate-key',
        severity: gradeSeverity('error', this.entityRule),
        source: sourceLabel(this.entityRule),
        repeats: earlier,
        message:
          `The key ${shown} repeats row ${earlier} (DMF compares keys trimmed and case-insensitive): ` +
          'keep one of the rows or change the key.',
      });
    }

    private checkReference(out: Finding[], plan: RelationPlan, row: readonly string[], rowNo: number): void {
      const key = keyOf(row, plan.columns);
      if (key === null) return; // an empty reference is allowed (or a mandatory finding)
      if (plan.source.complete) {
        if (!plan.source.sets.some((s) => s.has(key))) this.emit(out, this.referenceFinding(plan, row, rowNo));
        return;
      }
      const pending = plan.pending.get(key);
      if (pending) {
        if (pending.rows.length < maxFindings) pending.rows.push(rowNo);
        return;
      }
      if (this.pendingCount >= maxPending) {
        if (!this.pendingFull) {
          this.pendingFull = true;
          this.emit(
            out,
            limitFinding(
              rowNo,
              `References are checked for the first ${maxPending} distinct values only: split the file to check the rest.`,
            ),
          );
        }
        return;
      }
      this.pendingCount++;
      plan.pending.set(key, { value: plan.columns.map((c) => row[c] ?? '').join(', '), rows: [rowNo] });
    }

    private referenceFinding(plan: RelationPlan, row: readonly string[] | string, rowNo: number): Finding {
      const value = typeof row === 'string' ? row : plan.columns.map((c) => row[c] ?? '').join(', ');
      return {
        row: rowNo,
        column: plan.column,
        field: plan.relation.fields[0] ?? null,
        rule: 'reference',
        severity: gradeSeverity('error', plan.rule),
        message:
          `${plan.relation.fields.join(', ')} "${preview(value, 60)}" does not exist in ${plan.target.label} ` +
          `(checked against ${listed(plan.source.against)}): add it to ${plan.target.label} or correct the value.`,
        source: sourceLabel(plan.rule),
        value: preview(value, VALUE_PREVIEW),
      };
    }

    /** Resolves pending references whose target is complete; returns their findings. */
    resolvePending(): Finding[] {
      const out: Finding[] = [];
      for (const plan of this.relations) {
        if (!plan.source.complete || plan.pending.size === 0) continue;
        for (const [key, pending] of plan.pending) {
          if (plan.source.sets.some((s) => s.has(key))) continue;
          for (const rowNo of pending.rows) this.emit(out, this.referenceFinding(plan, pending.value, rowNo));
        }
        plan.pending.clear();
      }
      return out.sort((a, b) => a.row - b.row);
    }

    finish(): Finding[] {
      if (this.finished) return [];
      this.finished = true;
      // This file's key sources are complete now, unless another file of the same entity is still open.
      for (const source of sources.values()) {
        if (this.ownsSource(source))
          source.complete = !validators.some((v) => v !== this && !v.finished && v.entity === this.entity);
      }
      return this.resolvePending();
    }

    private ownsSource(source: KeySource): boolean {
      return source.sets.includes(this.keySet) || this.projections.some((p) => source.sets.includes(p.set));
    }

    hasPending(): boolean {
      return this.relations.some((r) => r.pending.size > 0);
    }

    summary(): ValidationSummary {
      return {
        entity: this.entity.label,
        rows: this.rows,
        cells: this.cells,
        errors: this.errors,
        warnings: this.warnings,
        byRule: { ...this.byRule },
        truncated: this.truncated,
        uncheckedReferences: [...this.unchecked],
        checkedReferences: this.relations.map((r) => ({ entity: r.target.label, against: r.source.against })),
      };
    }
  }

  return {
    validator(entityName, columns) {
      const entity = catalog.requireEntity(entityName);
      packageTargets.add(entity.targetEntity);
      const validator = new Validator(entity, columns);
      validator.registerKeySources();
      validators.push(validator);
      return validator;
    },
    finish() {
      for (const v of validators) if (!v.finished) v.finish();
      // Anything still pending refers to a package entity that never got a file: nothing to check against.
      for (const source of sources.values()) source.complete = true;
      return validators
        .filter((v) => v.hasPending())
        .map((v) => ({ entity: v.entity.label, findings: v.resolvePending() }))
        .filter((r) => r.findings.length > 0);
    },
  };
}

function keyOf(row: readonly string[], columns: readonly number[]): string | null {
  if (columns.length === 1) {
    const v = normalizeKeyPart(row[columns[0] ?? 0] ?? '');
    return v === '' ? null : v;
  }
  const parts: string[] = [];
  for (const c of columns) {
    const v = normalizeKeyPart(row[c] ?? '');
    if (v === '') return null;
    parts.push(v);
  }
  return parts.join(KEY_SEPARATOR);
}

function limitFinding(row: number, message: string): Finding {
  return { row, column: '', field: null, rule: 'limit', severity: 'warning', message, source: LIMIT_SOURCE };
}

/** "a", "a and b", "a, b and c". */
function listed(items: readonly string[]): string {
  if (items.length <= 1) return items[0] ?? 'nothing';
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1] ?? ''}`;
}

function preview(value: string, max: number): string {
  return value.length <= max ? value : `${value.slice(0, max - 1)}…`;
}

/** Validates in-memory rows of one file in one call: the convenience form for tests, the UI and small files. */
export function validateRows(
  catalog: CatalogIndex,
  entity: string,
  header: readonly string[],
  rows: readonly (readonly string[])[],
  options: Omit<ValidationSessionOptions, 'catalog'> = {},
): { findings: Finding[]; summary: ValidationSummary } {
  const session = createValidationSession({
    ...options,
    catalog,
    packageEntities: [entity, ...(options.packageEntities ?? [])],
  });
  const validator = session.validator(entity, mapColumns(header, catalog.requireEntity(entity)));
  const findings = [...validator.headerFindings, ...validator.validateRows(rows, 1), ...validator.finish()];
  for (const late of session.finish()) findings.push(...late.findings);
  return { findings, summary: validator.summary() };
}

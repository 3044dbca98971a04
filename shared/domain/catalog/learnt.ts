/**
 * What F&O's own packages teach: a package F&O exported (or a Microsoft template) proves the
 * entity label exactly as F&O names it, its target entity, the staging fields of F&O's own map,
 * unit/level/sequence, the source format, and in its data files the shapes F&O writes (numbers
 * written as reals, enum values by name, Yes/No). The workbench keeps it as a learnt layer with
 * provenance (which package, when); layers.ts folds it into the catalog.
 *
 * Nothing here guesses a type: an entity known only from packages is known by its fields and
 * labels, and the shapes only ever contradict a rule of a weaker layer, never make a new one.
 */
import type { Provenance } from './types';

/** The shapes a cell of an F&O export takes. */
export const VALUE_SHAPES = ['empty', 'integer', 'real', 'noYes', 'dateTime', 'text'] as const;
export type ValueShape = (typeof VALUE_SHAPES)[number];

/** Distinct values kept per field, and the longest value kept among them. */
export const MAX_SAMPLES = 24;
export const MAX_SAMPLE_LENGTH = 120;

export interface LearntField {
  /** Staging field: the EntityField of F&O's map, or the header cell upper-cased outside it. */
  readonly name: string;
  /** The header cell as F&O wrote it. */
  readonly column: string;
  /** In F&O's own map. False: F&O writes the column in exports but does not import it. */
  readonly mapped: boolean;
  /** Cells seen per shape. */
  readonly shapes: Partial<Record<ValueShape, number>>;
  /**
   * Values seen: the first of each shape, then distinct values up to MAX_SAMPLES (each at most
   * MAX_SAMPLE_LENGTH characters).
   */
  readonly samples: readonly string[];
  /** Characters of the longest value seen (trimmed). */
  readonly maxLength: number;
}

export interface LearntEntity {
  /** The manifest's EntityName: the label exactly as F&O names the entity. */
  readonly label: string;
  /** The manifest's TargetEntity (AOT name); null when the package does not say. */
  readonly targetEntity: string | null;
  readonly sourceFormat: string | null;
  readonly placement: { readonly executionUnit: number; readonly level: number; readonly sequence: number };
  /** F&O's map first (in its order), then the data file's columns outside it. */
  readonly fields: readonly LearntField[];
  /** Data rows read (a bounded number per entity). */
  readonly rows: number;
}

export interface LearntPackage {
  /** SHA-256 of the package (zip bytes, or a folder's manifest). The same package is learnt once. */
  readonly id: string;
  /** The package's file or folder name. */
  readonly name: string;
  /** When it was learnt (ISO 8601). */
  readonly learntAt: string;
  /** Why it was taken for F&O's own ("UTF-16LE manifest with a byte-order mark and no declaration, …"). */
  readonly evidence: string;
  readonly entities: readonly LearntEntity[];
}

export interface LearntKnowledge {
  /** Newest first. */
  readonly packages: readonly LearntPackage[];
}

export const NO_LEARNT_KNOWLEDGE: LearntKnowledge = Object.freeze({ packages: [] });

/** How findings name what a package taught: "learnt from System setup.zip of 2026-11-30". */
export function learntProvenance(pkg: Pick<LearntPackage, 'name' | 'learntAt'>): Provenance {
  return { layer: 'learnt', label: `learnt from ${pkg.name} of ${pkg.learntAt.slice(0, 10)}` };
}

const INTEGER = /^[+-]?\d+$/;
const REAL = /^[+-]?(\d+\.\d*|\.\d+)$/;
const NO_YES = /^(yes|no)$/i;
const DATE_TIME = /^\d{4}-\d{2}-\d{2}([ T]\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/;

export function shapeOf(value: string): ValueShape {
  const v = value.trim();
  if (v === '') return 'empty';
  if (INTEGER.test(v)) return 'integer';
  if (REAL.test(v)) return 'real';
  if (NO_YES.test(v)) return 'noYes';
  if (DATE_TIME.test(v)) return 'dateTime';
  return 'text';
}

/** Collects one column's shapes and samples, bounded whatever the number of rows. */
export class FieldObserver {
  readonly #shapes: Partial<Record<ValueShape, number>> = {};
  readonly #samples = new Set<string>();
  #maxLength = 0;

  constructor(
    readonly name: string,
    readonly column: string,
    readonly mapped: boolean,
  ) {}

  observe(cell: string): void {
    const shape = shapeOf(cell);
    const seen = this.#shapes[shape] ?? 0;
    this.#shapes[shape] = seen + 1;
    if (shape === 'empty') return;
    const value = cell.trim();
    if (value.length > this.#maxLength) this.#maxLength = value.length;
    if (value.length > MAX_SAMPLE_LENGTH || this.#samples.has(value)) return;
    // The first value of each shape is kept beyond the cap: it is what contradicts a type.
    if (seen === 0 || this.#samples.size < MAX_SAMPLES) this.#samples.add(value);
  }

  result(): LearntField {
    return {
      name: this.name,
      column: this.column,
      mapped: this.mapped,
      shapes: { ...this.#shapes },
      samples: [...this.#samples],
      maxLength: this.#maxLength,
    };
  }
}

/** Observes the rows of one entity's data file, given F&O's map (XMLField → EntityField). */
export class EntityObserver {
  readonly #fields: FieldObserver[];
  /** Column index → observer, for the columns of the file. */
  readonly #byColumn: (FieldObserver | undefined)[];
  #rows = 0;

  constructor(
    private readonly entity: Omit<LearntEntity, 'fields' | 'rows'>,
    columns: readonly string[],
    maps: readonly { readonly xmlField: string; readonly entityField: string }[],
    /** Rows observed at most: shapes settle long before a million rows. */
    private readonly maxRows = 100_000,
  ) {
    const byXml = new Map(maps.map((m) => [m.xmlField.trim().toLowerCase(), m.entityField.trim().toUpperCase()]));
    const inMap = maps.map((m) => new FieldObserver(m.entityField.trim().toUpperCase(), m.xmlField, true));
    const observers = new Map(inMap.map((o) => [o.name, o]));
    this.#byColumn = columns.map((column) => {
      const trimmed = column.trim();
      if (trimmed === '') return undefined;
      const field = byXml.get(trimmed.toLowerCase());
      if (field !== undefined) return observers.get(field);
      const name = trimmed.toUpperCase();
      let outside = observers.get(name);
      if (!outside) {
        outside = new FieldObserver(name, column, false);
        observers.set(name, outside);
      }
      return outside;
    });
    this.#fields = [...observers.values()];
  }

  /** True while more rows are worth reading. */
  get wantsRows(): boolean {
    return this.#rows < this.maxRows;
  }

  observe(rows: readonly (readonly string[])[]): void {
    for (const row of rows) {
      if (this.#rows >= this.maxRows) return;
      this.#rows++;
      for (let c = 0; c < this.#byColumn.length; c++) this.#byColumn[c]?.observe(row[c] ?? '');
    }
  }

  result(): LearntEntity {
    return { ...this.entity, fields: this.#fields.map((f) => f.result()), rows: this.#rows };
  }
}

/** Two observations of one field (from two packages) as one; `a` is the newer. */
export function mergeLearntFields(a: LearntField, b: LearntField): LearntField {
  const shapes: Partial<Record<ValueShape, number>> = { ...a.shapes };
  for (const shape of VALUE_SHAPES) {
    const n = b.shapes[shape];
    if (n !== undefined) shapes[shape] = (shapes[shape] ?? 0) + n;
  }
  const samples = [...a.samples];
  for (const s of b.samples) if (samples.length < MAX_SAMPLES * 2 && !samples.includes(s)) samples.push(s);
  return {
    name: a.name,
    column: a.column,
    mapped: a.mapped || b.mapped,
    shapes,
    samples,
    maxLength: Math.max(a.maxLength, b.maxLength),
  };
}

/**
 * Building a data package from source files: every file is streamed once; its rows are
 * validated against the catalog while the bytes go into the zip (deflated on worker threads,
 * in parallel with parsing and validation on the main thread). A CSV with the target format's
 * delimiter and qualifier is copied: byte for byte when it is already in the target dialect,
 * else converted on its bytes (line endings, BOM, encoding: csvConversion.ts); anything else is
 * rewritten by the format's writer.
 * Validation errors stop the package from being written at all (nothing half-written remains).
 */
import { stat } from 'node:fs/promises';
import { basename, dirname, extname, join } from 'node:path';
import type { Writable } from 'node:stream';
import type { CatalogEntity, CatalogIndex } from '../../../shared/domain/catalog';
import { dialectForFormat } from '../../../shared/domain/dialects/csvDialect';
import { dataFileKind, defaultFormatForFile } from '../../../shared/domain/package/formats';
import type { DataFileKind, SourceFormat } from '../../../shared/domain/package/formats';
import {
  createEntityMap,
  createManifest,
  createPackageEntity,
  createPackageHeader,
  comparePlacement,
} from '../../../shared/domain/package/model';
import type { EntityMap, EntityPlacement, PackageEntity } from '../../../shared/domain/package/model';
import {
  dataFileName,
  excelSheetName,
  manifestExcelSheetName,
  splitPartFileName,
} from '../../../shared/domain/package/names';
import { planSequence } from '../../../shared/domain/sequencing';
import type { SequencePlan } from '../../../shared/domain/sequencing';
import { createValidationSession, mapColumns } from '../../../shared/domain/validation';
import type { ColumnMapping, EntityValidator, Finding, ValidationSession } from '../../../shared/domain/validation';
import { createRowWriter, openRowReader } from '../sources/dataFiles';
import { CsvRowReader } from '../sources/csv/csvReader';
import { InputFileError } from '../sources/inputError';
import type { RowReader, RowWriter } from '../sources/rows';
import { fileSource } from '../sources/rows';
import { CsvByteConverter, linesFromStart, planConversion } from './csvConversion';
import type { ConversionPlan } from './csvConversion';
import { PackageWriter } from './packageWriter';
import type { ZipEntryStream } from './zip/zipWriter';

export interface PackEntityInput {
  /** Entity label, target entity or public name; resolved through the catalog. */
  readonly entity: string;
  /** Source file: .csv/.txt/.tsv, .xlsx or .xml. */
  readonly file: string;
}

export interface PackOptions {
  readonly out: string;
  readonly entities: readonly PackEntityInput[];
  readonly catalog: CatalogIndex;
  /** Format of every data file; default from each source file's extension. */
  readonly format?: SourceFormat;
  /** Data project name (default: the output file's name). */
  readonly definitionGroup?: string;
  /** Units, levels and sequences from the catalog's relations; otherwise 1.1.1, 1.1.2, … in order. */
  readonly autoSequence?: boolean;
  /** Start a new package when a data file reaches this many MB. */
  readonly splitMb?: number;
  /** Validate rows against the catalog (default true); errors stop the package from being written. */
  readonly validate?: boolean;
  /** How to read the sources: an encoding and delimiter that override detection. */
  readonly encoding?: string;
  readonly delimiter?: string;
  /** Validation findings kept for the result (all are counted). Default 200. */
  readonly maxFindings?: number;
  readonly onProgress?: (progress: { entity: string; bytesRead: number; total: number | undefined }) => void;
  /** Notes worth telling the user (a copied file, a split, an unknown entity). */
  readonly onNotice?: (message: string) => void;
}

export interface PackedEntity {
  readonly label: string;
  readonly targetEntity: string | null;
  readonly source: string;
  readonly file: string;
  readonly format: string;
  readonly placement: EntityPlacement;
  readonly rows: number;
  readonly maps: readonly EntityMap[];
  /** True when the source bytes went into the package unchanged. */
  readonly copied: boolean;
}

export interface PackFinding extends Finding {
  readonly entity: string;
}

export interface PackResult {
  /** Packages written, in import order (more than one only when split); empty when not written. */
  readonly packages: readonly string[];
  readonly entities: readonly PackedEntity[];
  readonly findings: readonly PackFinding[];
  readonly errors: number;
  readonly warnings: number;
  readonly plan: SequencePlan | null;
}

interface Planned {
  readonly input: PackEntityInput;
  readonly label: string;
  readonly catalogEntity: CatalogEntity | undefined;
  readonly sourceKind: DataFileKind;
  readonly format: SourceFormat;
  readonly kind: DataFileKind;
  readonly placement: EntityPlacement;
  readonly fileName: string;
}

export async function pack(options: PackOptions): Promise<PackResult> {
  const { catalog } = options;
  const notice = options.onNotice ?? (() => undefined);
  const planned = await planEntities(options, notice);
  const plan = options.autoSequence ? planFor(planned, catalog) : null;
  const ordered = applyPlan(planned, plan).sort((a, b) => comparePlacement(a.placement, b.placement));
  const validate = options.validate ?? true;
  const session = validate
    ? createValidationSession({ catalog, packageEntities: ordered.filter((p) => p.catalogEntity).map((p) => p.label) })
    : undefined;
  const maxFindings = options.maxFindings ?? 200;
  const findings: PackFinding[] = [];
  const validators: EntityValidator[] = [];
  const record = (entity: string, list: readonly Finding[]) => {
    for (const f of list) if (findings.length < maxFindings) findings.push({ ...f, entity });
  };
  // Validators count every finding, also those past their per-rule cap.
  const totals = () => {
    const summaries = validators.map((v) => v.summary());
    return {
      errors: summaries.reduce((n, s) => n + s.errors, 0),
      warnings: summaries.reduce((n, s) => n + s.warnings, 0),
    };
  };

  const definitionGroup = options.definitionGroup ?? basename(options.out, extname(options.out));
  const parts = new PackageParts(options.out, definitionGroup, options.splitMb, notice);
  const packed: PackedEntity[] = [];
  try {
    for (const p of ordered) {
      const result = await packEntity(p, options, parts, session, record, validators);
      packed.push(result);
    }
    if (session) for (const late of session.finish()) record(late.entity, late.findings);
    const { errors, warnings } = totals();
    if (validate && errors > 0) {
      await parts.abort();
      return { packages: [], entities: packed, findings, errors, warnings, plan };
    }
    const packages = await parts.finish();
    return { packages, entities: packed, findings, errors, warnings, plan };
  } catch (error) {
    await parts.abort();
    throw error;
  }
}

async function planEntities(options: PackOptions, notice: (m: string) => void): Promise<Planned[]> {
  if (options.entities.length === 0)
    throw new InputFileError({ file: options.out }, 'needs at least one entity to pack.');
  const seen = new Set<string>();
  return Promise.all(
    options.entities.map(async (input, index) => {
      const catalogEntity = options.catalog.findEntity(input.entity);
      const label = catalogEntity?.label ?? input.entity.trim();
      if (!catalogEntity) {
        notice(
          `"${input.entity}" is not in the ${options.catalog.catalog.origin} catalog: its columns are mapped by name and not validated.`,
        );
      }
      if (seen.has(label.toLowerCase()))
        throw new InputFileError(
          { file: input.file },
          `is given for "${label}" twice; a package holds each entity once.`,
        );
      seen.add(label.toLowerCase());
      try {
        const info = await stat(input.file);
        if (!info.isFile()) throw new Error('not a file');
      } catch {
        throw new InputFileError({ file: input.file }, 'does not exist or is not a file.');
      }
      const sourceFormat = defaultFormatForFile(input.file);
      if (!sourceFormat) {
        throw new InputFileError(
          { file: input.file },
          'is not a data file the workbench reads (.csv, .txt, .tsv, .xlsx or .xml).',
        );
      }
      const sourceKind = dataFileKind(sourceFormat, input.file) ?? 'csv';
      const format = options.format ?? sourceFormat;
      const kind = dataFileKind(format, '') ?? 'csv';
      return {
        input,
        label,
        catalogEntity,
        sourceKind,
        format,
        kind,
        placement: { executionUnit: 1, level: 1, sequence: index + 1 },
        fileName: dataFileName(label, kind),
      };
    }),
  );
}

function planFor(planned: readonly Planned[], catalog: CatalogIndex): SequencePlan {
  return planSequence(
    planned.map((p) => ({ entity: p.label })),
    catalog,
  );
}

function applyPlan(planned: readonly Planned[], plan: SequencePlan | null): Planned[] {
  if (!plan) return [...planned];
  return planned.map((p) => {
    const placement = plan.placements.find((x) => x.label.toLowerCase() === p.label.toLowerCase());
    return placement
      ? {
          ...p,
          placement: { executionUnit: placement.executionUnit, level: placement.level, sequence: placement.sequence },
        }
      : p;
  });
}

async function packEntity(
  p: Planned,
  options: PackOptions,
  parts: PackageParts,
  session: ValidationSession | undefined,
  record: (entity: string, findings: readonly Finding[]) => void,
  validators: EntityValidator[],
): Promise<PackedEntity> {
  const copy = new CopyTap(p, options.splitMb === undefined);
  const reader = await openRowReader(await fileSource(p.input.file), p.sourceKind, {
    ...(options.encoding ? { encoding: options.encoding } : {}),
    ...(options.delimiter ? { delimiter: options.delimiter } : {}),
    tap: (chunk) => copy.tap(chunk),
    onBytes: (bytesRead, total) => options.onProgress?.({ entity: p.label, bytesRead, total }),
  });
  try {
    const columns = reader.columns;
    const mapping: ColumnMapping[] = p.catalogEntity
      ? mapColumns(columns, p.catalogEntity)
      : columns.map((column) => ({ column, field: column.trim() === '' ? null : column.trim().toUpperCase() }));
    const maps = mapping
      .filter((m): m is ColumnMapping & { field: string } => m.field !== null)
      .map((m) => createEntityMap(m.column, m.field))
      // [INFER] F&O writes maps sorted by staging field (the 2017 sample: DESCRIPTION, MAJORTYPEID).
      .sort((a, b) => (a.entityField < b.entityField ? -1 : a.entityField > b.entityField ? 1 : 0));
    const validator: EntityValidator | undefined =
      session && p.catalogEntity ? session.validator(p.label, mapping) : undefined;
    if (validator) {
      validators.push(validator);
      record(p.label, validator.headerFindings);
    }
    const entity = manifestEntity(p, maps);
    const sink = await parts.startEntity(entity, columns, p, copy.decide(reader, p));
    for await (const batch of reader) {
      if (validator) record(p.label, validator.validateRows(batch.rows, batch.firstRow));
      await sink.write(batch.rows);
    }
    if (validator) record(p.label, validator.finish());
    await sink.end();
    return {
      label: p.label,
      targetEntity: p.catalogEntity?.targetEntity ?? null,
      source: p.input.file,
      file: p.fileName,
      format: p.format,
      placement: p.placement,
      rows: reader.rowCount,
      maps,
      copied: copy.copying,
    };
  } finally {
    await reader.close();
  }
}

function manifestEntity(p: Planned, maps: readonly EntityMap[]): PackageEntity {
  return createPackageEntity({
    label: p.label,
    inputFilePath: p.fileName,
    sourceFormat: p.format,
    maps,
    placement: p.placement,
    ...(p.catalogEntity ? { targetEntity: p.catalogEntity.targetEntity } : {}),
    ...(p.kind === 'xlsx' ? { excelSheetName: manifestExcelSheetName(p.label) } : {}),
  });
}

// ---------------------------------------------------------------------------------------------
// Copying a CSV source's bytes, converted to the target dialect on the way (csvConversion.ts).

/**
 * Holds the raw chunks the reader taps until the header is parsed and the dialect is known; then
 * either streams them (and every later chunk) into the package, converted where the dialects
 * differ only in line endings, BOM and encoding, or drops them and lets the writer rewrite the
 * rows.
 */
class CopyTap {
  private held: Buffer[] = [];
  private decided = false;
  copying = false;
  private out: ZipEntryStream | undefined;
  private converter: CsvByteConverter | undefined;
  /** The dialect the source was converted from, when its bytes changed (for the notice). */
  converted: ConversionPlan | undefined;
  /** Decoded text of the held chunks so far (a message's line while they are replayed). */
  private replayed: string[] | undefined;

  constructor(
    private readonly planned: Planned,
    private readonly allowed: boolean,
  ) {}

  /** The chunk is the reader's buffer, valid until this resolves: held chunks are copied. */
  async tap(chunk: Buffer): Promise<void> {
    if (!this.decided) {
      this.held.push(Buffer.from(chunk));
      return;
    }
    if (this.copying && this.out) await this.out.write(this.convert(chunk));
  }

  /** Whether the source can be copied (converted as needed), decided once the reader knows the dialect. */
  decide(reader: RowReader, p: Planned): CopyDecision {
    this.decided = true;
    const plan =
      this.allowed && p.sourceKind === 'csv' && p.kind === 'csv' && reader instanceof CsvRowReader
        ? planConversion(reader.info, dialectForFormat(this.planned.format))
        : undefined;
    if (!plan || !(reader instanceof CsvRowReader)) {
      this.held = [];
      return { copy: false, attach: async () => undefined, finish: async () => undefined };
    }
    if (plan.lineEndings || plan.transcode || plan.dropBom > 0 || plan.target.bom) {
      // UTF-8 read as Windows-1252 changes only non-ASCII bytes: that is still "as it is" to a person.
      const latin = plan.transcode && plan.sourceEncoding === 'utf-8' && plan.target.encoding === 'windows-1252';
      if (plan.lineEndings || plan.dropBom > 0 || plan.target.bom || !latin) this.converted = plan;
      // Held chunks were parsed already: their lines count from the file's start; later chunks
      // are ahead of the parser, which knows the line they start on.
      this.converter = new CsvByteConverter(plan, { file: this.planned.input.file }, (text) =>
        this.replayed ? linesFromStart([...this.replayed, text]) : reader.lineAhead(text),
      );
    }
    return {
      copy: true,
      converted: this.converted,
      finish: () => this.finish(),
      attach: async (entry) => {
        this.copying = true;
        this.out = entry;
        this.replayed = [];
        for (const chunk of this.held) {
          await entry.write(this.convert(chunk));
          this.replayed.push(chunk.toString('latin1'));
        }
        this.replayed = undefined;
        this.held = [];
      },
    };
  }

  /** The bytes still held by the conversion (a lone CR at the end, a partial character). */
  async finish(): Promise<void> {
    if (this.copying && this.out && this.converter) await this.out.write(this.converter.end());
  }

  private convert(chunk: Buffer): Buffer {
    return this.converter ? this.converter.convert(chunk) : chunk;
  }
}

interface CopyDecision {
  readonly copy: boolean;
  /** What the copy changes, when it is not byte for byte. */
  readonly converted?: ConversionPlan | undefined;
  attach(entry: ZipEntryStream): Promise<void>;
  /** Writes what the conversion still holds; before the entry ends. */
  finish(): Promise<void>;
}

/** `CRLF line endings, UTF-8 → Windows-1252` */
function conversionWords(plan: ConversionPlan): string {
  const words: string[] = [];
  if (plan.lineEndings) words.push('CRLF line endings');
  if (plan.transcode) words.push(`${plan.sourceEncoding} → ${plan.target.encoding}`);
  if (plan.dropBom > 0) words.push('without its BOM');
  if (plan.target.bom) words.push('with a BOM');
  return words.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Packages, split into parts when asked.

interface EntitySink {
  write(rows: readonly (readonly string[])[]): Promise<void>;
  end(): Promise<void>;
}

/** Headroom for what a row writer buffers before the byte count sees it (at most a quarter of the limit). */
const SPLIT_MARGIN_BYTES = 1024 * 1024;

class PackageParts {
  private writer: PackageWriter | undefined;
  /** Parts written but not yet moved into place: all appear together, or none. */
  private readonly completed: PackageWriter[] = [];
  private readonly paths: string[] = [];
  private entitiesInPart: PackageEntity[] = [];
  private readonly limit: number | undefined;

  constructor(
    private readonly out: string,
    private readonly definitionGroup: string,
    splitMb: number | undefined,
    private readonly notice: (message: string) => void,
  ) {
    const bytes = (splitMb ?? 0) * 1024 * 1024;
    this.limit = splitMb === undefined ? undefined : bytes - Math.min(SPLIT_MARGIN_BYTES, bytes / 4);
  }

  /** Opens the entity's data file in the current part; the sink splits it across parts when needed. */
  async startEntity(
    entity: PackageEntity,
    columns: readonly string[],
    p: Planned,
    copy: CopyDecision,
  ): Promise<EntitySink> {
    const writer = await this.current();
    const name = entity.inputFilePath ?? p.fileName;
    this.entitiesInPart.push(entity);
    if (copy.copy) {
      const file = writer.openFile(name);
      await copy.attach(file);
      this.notice(
        copy.converted
          ? `${p.label}: ${basename(p.input.file)} copied into the ${p.format} format (${conversionWords(copy.converted)}); values as they are.`
          : `${p.label}: ${basename(p.input.file)} is already ${p.format}; copied as it is.`,
      );
      return {
        write: async () => undefined,
        end: async () => {
          await copy.finish();
          await file.end();
        },
      };
    }
    let file = writer.openFile(name);
    let rows = this.rowWriter(file.stream, entity, columns, p);
    return {
      write: async (batch) => {
        await rows.write(batch);
        if (this.limit !== undefined && file.bytes() >= this.limit) {
          await rows.end();
          await this.nextPart();
          const next = await this.current();
          this.entitiesInPart.push(entity);
          file = next.openFile(name);
          rows = this.rowWriter(file.stream, entity, columns, p);
        }
      },
      end: () => rows.end(),
    };
  }

  async finish(): Promise<string[]> {
    if (this.writer) await this.closePart();
    for (const part of this.completed) await part.commit();
    return this.paths;
  }

  async abort(): Promise<void> {
    const pending = [...this.completed, ...(this.writer ? [this.writer] : [])];
    this.completed.length = 0;
    this.writer = undefined;
    for (const part of pending) await part.abort();
  }

  private rowWriter(stream: Writable, entity: PackageEntity, columns: readonly string[], p: Planned): RowWriter {
    return createRowWriter(p.kind, stream, {
      columns,
      file: p.fileName,
      sourceFormat: p.format,
      sheetName: excelSheetName(p.label),
      recordElement: (entity.targetEntity ?? p.label.replace(/[^\p{L}\p{N}_]/gu, '')).toUpperCase(),
    });
  }

  private async current(): Promise<PackageWriter> {
    if (!this.writer) {
      const path = this.paths.length === 0 ? this.out : partPath(this.out, this.paths.length + 1);
      this.writer = await PackageWriter.create(path);
      this.paths.push(path);
      this.entitiesInPart = [];
    }
    return this.writer;
  }

  private async nextPart(): Promise<void> {
    await this.closePart();
    this.notice(`Split: continuing in ${basename(partPath(this.out, this.paths.length + 1))}.`);
  }

  private async closePart(): Promise<void> {
    const writer = this.writer;
    if (!writer) return;
    this.writer = undefined;
    this.completed.push(writer);
    await writer.complete(
      createPackageHeader(this.definitionGroup),
      createManifest(this.definitionGroup, this.entitiesInPart),
    );
  }
}

/** `Setup.zip` part 2 → `Setup-2.zip`. */
export function partPath(out: string, part: number): string {
  return join(dirname(out), splitPartFileName(basename(out), part));
}

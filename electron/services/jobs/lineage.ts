/**
 * Where each row of a built package came from. A package data file's rows are numbered 1, 2, 3…
 * (the header is not a row); consecutive rows that come from consecutive rows of one source
 * file form a segment, so a package built from whole files has one segment per file, and a
 * re-import of 40 scattered failed rows has at most 40.
 */
export interface LineageSegment {
  /** First package data row of the segment (1-based). */
  readonly packageRow: number;
  /** Index into Lineage.sources. */
  readonly source: number;
  /** First source data row (1-based) it came from. */
  readonly sourceRow: number;
  readonly count: number;
}

export interface EntityLineage {
  /** Entity label, as in the manifest. */
  readonly label: string;
  /** The data file inside the package. */
  readonly dataFile: string;
  readonly rows: number;
  readonly segments: readonly LineageSegment[];
}

export interface Lineage {
  /** Source files by index: paths as the consultant knows them (project-relative when from a project). */
  readonly sources: readonly string[];
  readonly entities: readonly EntityLineage[];
}

export interface SourceLocation {
  readonly sourceFile: string;
  readonly sourceRow: number;
}

/** Builds an entity's lineage while its rows are written, one (source, first row, count) run at a time. */
export class LineageBuilder {
  readonly #sources: string[] = [];
  readonly #entities: EntityLineage[] = [];

  entity(
    label: string,
    dataFile: string,
  ): {
    add(sourceFile: string, sourceRow: number, count: number): void;
    end(): EntityLineage;
  } {
    const segments: LineageSegment[] = [];
    let rows = 0;
    return {
      add: (sourceFile, sourceRow, count) => {
        if (count <= 0) return;
        const source = this.#sourceIndex(sourceFile);
        const last = segments.at(-1);
        if (last && last.source === source && last.sourceRow + last.count === sourceRow) {
          segments[segments.length - 1] = { ...last, count: last.count + count };
        } else {
          segments.push({ packageRow: rows + 1, source, sourceRow, count });
        }
        rows += count;
      },
      end: () => {
        const entity = { label, dataFile, rows, segments };
        this.#entities.push(entity);
        return entity;
      },
    };
  }

  build(): Lineage {
    return { sources: [...this.#sources], entities: [...this.#entities] };
  }

  #sourceIndex(file: string): number {
    const found = this.#sources.indexOf(file);
    if (found >= 0) return found;
    this.#sources.push(file);
    return this.#sources.length - 1;
  }
}

/** The source file and row of a package row, or null when the entity or row is not in the lineage. */
export function locate(lineage: Lineage, label: string, packageRow: number): SourceLocation | null {
  const entity = findEntity(lineage, label);
  if (!entity) return null;
  const segments = entity.segments;
  let low = 0;
  let high = segments.length - 1;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const segment = segments[mid] as LineageSegment;
    if (packageRow < segment.packageRow) high = mid - 1;
    else if (packageRow >= segment.packageRow + segment.count) low = mid + 1;
    else {
      return {
        sourceFile: lineage.sources[segment.source] ?? '',
        sourceRow: segment.sourceRow + (packageRow - segment.packageRow),
      };
    }
  }
  return null;
}

export function findEntity(lineage: Lineage, label: string): EntityLineage | undefined {
  const wanted = label.trim().toLowerCase();
  return lineage.entities.find((e) => e.label.toLowerCase() === wanted);
}

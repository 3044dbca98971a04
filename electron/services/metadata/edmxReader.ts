/**
 * Reads an OData $metadata (CSDL) document into the pure EdmxModel, streaming through saxes.
 *
 * Hostile input is refused, not survived: a DOCTYPE (no DTDs, so no entity expansion, XXE or
 * billion laughs), documents over `maxBytes`, nesting over `maxDepth` and more than `maxElements`
 * elements. Every error names the file, line and column.
 */
import { createReadStream } from 'node:fs';
import { TextDecoder } from 'node:util';
import { SaxesParser } from 'saxes';
import type { SaxesTagPlain } from 'saxes';
import type {
  EdmxEntityType,
  EdmxEnumType,
  EdmxModel,
  EdmxNavigationProperty,
  EdmxProperty,
} from '../../../shared/domain/catalog/metadata/edmx';
import { MetadataCatalogBuilder, annotationTerm } from '../../../shared/domain/catalog/metadata/build';
import type { MetadataCatalogResult, MetadataJsonDocuments } from '../../../shared/domain/catalog/metadata/build';

export interface EdmxLimits {
  /** Default 512 MB: a full F&O $metadata is tens of MB. */
  readonly maxBytes?: number;
  readonly maxDepth?: number;
  readonly maxElements?: number;
}

export class MetadataReadError extends Error {
  constructor(
    readonly file: string,
    message: string,
  ) {
    super(`${file}: ${message}`);
    this.name = 'MetadataReadError';
  }
}

const local = (name: string) => name.slice(name.indexOf(':') + 1);

interface Builder {
  namespace: string;
  entity: {
    name: string;
    keys: string[];
    properties: EdmxProperty[];
    navigation: EdmxNavigationProperty[];
    annotations: Record<string, string>;
  } | null;
  property: {
    name: string;
    type: string;
    nullable: boolean;
    maxLength?: number;
    scale?: number;
    annotations: Record<string, string>;
  } | null;
  navigation: { name: string; type: string; constraints: { property: string; referencedProperty: string }[] } | null;
  enumType: { name: string; members: { name: string; value: number }[] } | null;
  inKey: boolean;
}

/**
 * Takes each part of $metadata as soon as it is read (MetadataCatalogBuilder does): nothing of
 * the document is kept beyond the element being read.
 */
export interface EdmxSink {
  entityType(type: EdmxEntityType): void;
  enumType(type: EdmxEnumType): void;
  entitySet(set: { readonly name: string; readonly entityType: string }): void;
}

/**
 * Strings kept from the document, each one copy however often it repeats (property names, types
 * and annotation values repeat across thousands of entities). The copy matters as much: the
 * parser's strings are slices of the decoded chunks, and keeping a slice keeps its whole chunk
 * (on a 30 MB $metadata, the whole document) alive.
 */
function stringPool(): (value: string) => string {
  const pool = new Map<string, string>();
  return (value) => {
    let kept = pool.get(value);
    if (kept === undefined) {
      // Concatenating then cutting makes V8 flatten into a new string: no reference to the chunk.
      kept = `${value} `.slice(0, -1);
      pool.set(kept, kept);
    }
    return kept;
  };
}

/** Parses $metadata text delivered in chunks into the whole model. */
export async function parseEdmx(
  chunks: AsyncIterable<string> | Iterable<string>,
  file: string,
  limits: EdmxLimits = {},
): Promise<EdmxModel> {
  const entityTypes: EdmxEntityType[] = [];
  const enumTypes: EdmxEnumType[] = [];
  const entitySets: { name: string; entityType: string }[] = [];
  await streamEdmx(chunks, file, limits, {
    entityType: (t) => entityTypes.push(t),
    enumType: (e) => enumTypes.push(e),
    entitySet: (s) => entitySets.push(s),
  });
  return { entityTypes, enumTypes, entitySets };
}

/** Parses $metadata text delivered in chunks, handing each entity type, enum type and entity set to `sink`. */
export async function streamEdmx(
  chunks: AsyncIterable<string> | Iterable<string>,
  file: string,
  limits: EdmxLimits,
  sink: EdmxSink,
): Promise<void> {
  const maxDepth = limits.maxDepth ?? 64;
  const maxElements = limits.maxElements ?? 20_000_000;
  const parser = new SaxesParser({ fileName: file, position: true, xmlns: false });
  const own = stringPool();
  const b: Builder = { namespace: '', entity: null, property: null, navigation: null, enumType: null, inKey: false };
  let depth = 0;
  let elements = 0;
  let sawRoot = false;
  let failure: Error | null = null;
  const fail = (message: string) => {
    failure ??= new MetadataReadError(file, `line ${parser.line}, column ${parser.column + 1}: ${message}`);
  };

  parser.on('doctype', () => fail('has a DOCTYPE; $metadata never does, and DTDs are refused (no entity expansion).'));
  // saxes prefixes "file:line:column:"; the position is ours to add.
  parser.on('error', (error) => fail(error.message.replace(`${file}:`, '').replace(/^\d+:\d+:\s*/, '')));
  parser.on('opentag', (tag: SaxesTagPlain) => {
    if (failure) return;
    if (++depth > maxDepth)
      return fail(`nests deeper than ${maxDepth} elements; this is not an OData $metadata document.`);
    if (++elements > maxElements) return fail(`has more than ${maxElements} elements; refusing to read further.`);
    const name = local(tag.name);
    const a = tag.attributes as Record<string, string>;
    if (!sawRoot) {
      sawRoot = true;
      if (name !== 'Edmx')
        return fail(`starts with <${tag.name}>, not <edmx:Edmx>: this is not an OData $metadata document.`);
    }
    switch (name) {
      case 'Schema':
        b.namespace = own(a.Namespace ?? '');
        break;
      case 'EntityType':
        b.entity = { name: own(a.Name ?? ''), keys: [], properties: [], navigation: [], annotations: {} };
        break;
      case 'Key':
        b.inKey = true;
        break;
      case 'PropertyRef':
        if (b.inKey && b.entity && a.Name) b.entity.keys.push(own(a.Name));
        break;
      case 'Property':
        if (b.entity && a.Name && a.Type) {
          const maxLength =
            a.MaxLength !== undefined && /^\d{1,9}$/.test(a.MaxLength) ? Number(a.MaxLength) : undefined;
          const scale = a.Scale !== undefined && /^\d{1,2}$/.test(a.Scale) ? Number(a.Scale) : undefined;
          b.property = {
            name: own(a.Name),
            type: own(a.Type),
            nullable: a.Nullable?.toLowerCase() !== 'false',
            ...(maxLength === undefined ? {} : { maxLength }),
            ...(scale === undefined ? {} : { scale }),
            annotations: {},
          };
        }
        break;
      case 'NavigationProperty':
        if (b.entity && a.Name && a.Type) b.navigation = { name: own(a.Name), type: own(a.Type), constraints: [] };
        break;
      case 'ReferentialConstraint':
        if (b.navigation && a.Property && a.ReferencedProperty) {
          b.navigation.constraints.push({ property: own(a.Property), referencedProperty: own(a.ReferencedProperty) });
        }
        break;
      case 'Annotation': {
        const target = b.property ?? (b.navigation ? null : b.entity);
        const value = a.String ?? a.Bool ?? a.Int ?? a.EnumMember;
        if (target && a.Term && value !== undefined) target.annotations[own(annotationTerm(a.Term))] = own(value);
        break;
      }
      case 'EnumType':
        b.enumType = { name: own(a.Name ?? ''), members: [] };
        break;
      case 'Member':
        if (b.enumType && a.Name) {
          const value = Number(a.Value ?? b.enumType.members.length);
          if (!Number.isSafeInteger(value))
            return fail(`enum member ${a.Name} has the value "${a.Value}", not a whole number.`);
          b.enumType.members.push({ name: own(a.Name), value });
        }
        break;
      case 'EntitySet':
        if (a.Name && a.EntityType) sink.entitySet({ name: own(a.Name), entityType: own(a.EntityType) });
        break;
    }
  });
  parser.on('closetag', (tag: SaxesTagPlain) => {
    depth--;
    if (failure) return;
    switch (local(tag.name)) {
      case 'EntityType':
        if (b.entity) {
          sink.entityType({
            namespace: b.namespace,
            name: b.entity.name,
            keys: b.entity.keys,
            properties: b.entity.properties,
            navigationProperties: b.entity.navigation,
            annotations: b.entity.annotations,
          });
        }
        b.entity = null;
        break;
      case 'Key':
        b.inKey = false;
        break;
      case 'Property':
        if (b.entity && b.property) b.entity.properties.push(b.property);
        b.property = null;
        break;
      case 'NavigationProperty':
        if (b.entity && b.navigation) b.entity.navigation.push(b.navigation);
        b.navigation = null;
        break;
      case 'EnumType':
        if (b.enumType) sink.enumType({ namespace: b.namespace, ...b.enumType });
        b.enumType = null;
        break;
    }
  });

  for await (const chunk of chunks) {
    parser.write(chunk);
    if (failure) throw failure;
  }
  parser.close();
  if (failure) throw failure;
}

/**
 * Reads a $metadata file straight into a catalog, streaming: the builder takes each entity type
 * as it is read, so memory holds the catalog, never the whole document or its model.
 */
export async function readEdmxCatalog(
  path: string,
  documents: MetadataJsonDocuments,
  limits: EdmxLimits = {},
): Promise<MetadataCatalogResult> {
  const builder = new MetadataCatalogBuilder(documents);
  await streamEdmx(decodeFile(path, limits.maxBytes ?? 512 * 2 ** 20), path, limits, builder);
  return builder.finish();
}

/** Reads a $metadata file (UTF-8, or UTF-16 with a BOM) with a size limit. */
export async function readEdmxFile(path: string, limits: EdmxLimits = {}): Promise<EdmxModel> {
  return parseEdmx(decodeFile(path, limits.maxBytes ?? 512 * 2 ** 20), path, limits);
}

/** Streams a file as text, refusing it past `maxBytes`; the encoding comes from the BOM (UTF-8 by default). */
export async function* decodeFile(path: string, maxBytes: number): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  let total = 0;
  try {
    for await (const chunk of createReadStream(path, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        throw new MetadataReadError(path, `is larger than ${Math.round(maxBytes / 2 ** 20)} MB; refusing to read it.`);
      }
      decoder ??= new TextDecoder(
        chunk[0] === 0xff && chunk[1] === 0xfe
          ? 'utf-16le'
          : chunk[0] === 0xfe && chunk[1] === 0xff
            ? 'utf-16be'
            : 'utf-8',
        {
          fatal: true,
        },
      );
      yield decoder.decode(chunk, { stream: true });
    }
    if (decoder) yield decoder.decode();
  } catch (error) {
    if (error instanceof MetadataReadError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new MetadataReadError(path, 'does not exist.');
    if (error instanceof TypeError) throw new MetadataReadError(path, 'is not valid UTF-8 or UTF-16 text.');
    throw new MetadataReadError(path, `cannot be read (${code ?? (error as Error).message}).`);
  }
}

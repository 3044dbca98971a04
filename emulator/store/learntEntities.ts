import { indexCatalog } from '../../shared/domain/catalog';
import type { CatalogEntity, CatalogIndex, EntityCatalog } from '../../shared/domain/catalog';
import { LEARNT_AREA } from '../../shared/domain/catalog/layers';

/**
 * The emulator's catalog: the built-in entities plus every entity a package brought that the
 * emulator did not know (issue #10 item 6). A real environment has thousands of entities; the
 * emulator learns one from the package's manifest and data file, so that the package imports as
 * it would into an environment that has the entity: its fields are the staging fields of the
 * manifest's map (or the file's header without a map), every value is kept as text, and with no
 * key known each row is inserted. Learnt entities are saved with the emulator's state.
 *
 * [INFER] A learnt entity is company specific (most F&O entities are; a package does not say):
 * its rows belong to the legal entity of the import, and an export of that legal entity returns them.
 */
export class EmulatorCatalog implements CatalogIndex {
  #index: CatalogIndex;
  readonly #learnt: CatalogEntity[] = [];

  constructor(private readonly base: EntityCatalog) {
    this.#index = indexCatalog(base);
  }

  get catalog(): EntityCatalog {
    return this.#index.catalog;
  }

  /** The entities learnt from packages, oldest first (what the state file keeps). */
  learnt(): readonly CatalogEntity[] {
    return this.#learnt;
  }

  /** Adds learnt entities (a restored state, or one just learnt); a known name is left alone. */
  add(entities: readonly CatalogEntity[]): void {
    const fresh = entities.filter((e) => !this.#index.findEntity(e.targetEntity) && !this.#index.findEntity(e.label));
    if (fresh.length === 0) return;
    this.#learnt.push(...fresh);
    this.#index = indexCatalog({ ...this.base, entities: [...this.base.entities, ...this.#learnt] });
  }

  findEntity: CatalogIndex['findEntity'] = (name) => this.#index.findEntity(name);
  requireEntity: CatalogIndex['requireEntity'] = (name) => this.#index.requireEntity(name);
  findEnum: CatalogIndex['findEnum'] = (name) => this.#index.findEnum(name);
  findField: CatalogIndex['findField'] = (entity, name) => this.#index.findField(entity, name);
  referencing: CatalogIndex['referencing'] = (target) => this.#index.referencing(target);
  provenanceOf: CatalogIndex['provenanceOf'] = (entity, fact) => this.#index.provenanceOf(entity, fact);
}

const DATA_AREA_ID = 'DATAAREAID';

/**
 * An entity as a package shows it: the manifest's EntityName (label) and TargetEntity, and the
 * staging fields of its map (EntityField), else the data file's header cells upper-cased.
 * `learntFrom` names the package for the provenance ("Asset-Major-Types").
 */
export function learnEntity(
  source: {
    readonly entityName: string;
    readonly targetEntity: string | null;
    readonly maps: readonly { readonly entityField: string }[] | null;
  },
  header: readonly string[],
  learntFrom: string,
  learntAt: number,
): CatalogEntity {
  const names = source.maps ? source.maps.map((m) => m.entityField) : header;
  const fields = [...new Set(names.map((n) => n.trim().toUpperCase()))].filter((n) => n !== '' && n !== DATA_AREA_ID);
  const name = source.targetEntity ?? source.entityName.replace(/[^\p{L}\p{N}_]/gu, '');
  const provenance = {
    layer: 'learnt' as const,
    label: `learnt by the emulator from ${learntFrom} of ${new Date(learntAt).toISOString().slice(0, 10)}`,
  };
  return {
    label: source.entityName,
    publicEntityName: name,
    publicCollectionName: name,
    targetEntity: name,
    area: LEARNT_AREA,
    companySpecific: true,
    fields: fields.map((f) => ({ name: f, publicName: f, type: 'String', mandatory: false, provenance })),
    keys: [],
    relations: [],
    fieldCoverage: 'partial',
    sources: [{ kind: 'inferred', ref: provenance.label, covers: 'label, target entity, staging field names' }],
    provenance,
  };
}

/** The job log line that says an entity was learnt. */
export function learntLogLine(entity: CatalogEntity): string {
  return (
    `Entity '${entity.label}' is not a data entity of this environment's catalog: the emulator learnt it from the package ` +
    `(${entity.fields.length} staging field${entity.fields.length === 1 ? '' : 's'}: ${entity.fields.map((f) => f.name).join(', ')}; ` +
    'values kept as text; no key known, so every row is inserted).'
  );
}

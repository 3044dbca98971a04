import { UnknownEntityError } from '../../../shared/domain/catalog';
import type { CatalogEntity, CatalogIndex } from '../../../shared/domain/catalog';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { catalogFor } from './catalogSource';
import { jsonText, table } from './text';

const USAGE = `Usage: dmfw catalog [<entity>] [--metadata <folder> | --env <environment>] [--json]

Lists the entity catalog, or shows one entity: its staging fields (type, length, mandatory, enum),
key, references to other entities and the sources of these facts.

  <entity>             an entity label ("Customers V3"), target entity or public name
  --metadata <folder>  use an environment's metadata instead of the built-in catalog: the folder holds
                       $metadata.xml, DataEntities.json and PublicEnumerations.json (Labels.json optional)
  --env <environment>  use that environment's latest metadata snapshot (\`dmfw metadata pull\`)
  --json               print JSON
`;

export const catalogCommand: Command = {
  name: 'catalog',
  summary: 'List the entity catalog or show one entity (fields, key, references)',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      { json: { type: 'boolean', default: false }, metadata: { type: 'string' }, env: { type: 'string' } },
      { positionals: true },
    );
    if (positionals.length > 1) {
      throw new UsageError(`Give at most one entity (quote labels with spaces), not ${positionals.length}.`);
    }
    const catalog = await catalogFor(values, io);
    const name = positionals[0];
    if (name === undefined) {
      io.stdout(values.json ? jsonText(listJson(catalog)) : listText(catalog));
      return EXIT.ok;
    }
    let entity: CatalogEntity;
    try {
      entity = catalog.requireEntity(name);
    } catch (error) {
      if (error instanceof UnknownEntityError) throw new UsageError(error.message);
      throw error;
    }
    io.stdout(values.json ? jsonText(entityJson(catalog, entity)) : entityText(catalog, entity));
    return EXIT.ok;
  },
};

function listJson(catalog: CatalogIndex) {
  return {
    origin: catalog.catalog.origin,
    entities: catalog.catalog.entities.map((e) => ({
      label: e.label,
      publicEntityName: e.publicEntityName,
      publicCollectionName: e.publicCollectionName,
      targetEntity: e.targetEntity,
      area: e.area,
      companySpecific: e.companySpecific,
      keys: e.keys,
      fieldCount: e.fields.length,
      fieldCoverage: e.fieldCoverage,
    })),
  };
}

function listText(catalog: CatalogIndex): string {
  const rows = [...catalog.catalog.entities]
    .sort((a, b) => a.area.localeCompare(b.area) || a.label.localeCompare(b.label))
    .map((e) => [
      e.label,
      e.targetEntity,
      e.publicCollectionName,
      e.area,
      e.companySpecific ? 'company' : 'shared',
      e.keys.join(', '),
    ]);
  return (
    `${catalog.catalog.entities.length} entities in the ${catalog.catalog.origin} catalog\n\n` +
    table(['Entity', 'Target entity', 'OData collection', 'Area', 'Scope', 'Key'], rows) +
    '\nRun `dmfw catalog "<entity>"` for its fields, key and references.\n'
  );
}

function entityJson(catalog: CatalogIndex, entity: CatalogEntity) {
  const enumNames = new Set(entity.fields.flatMap((f) => (f.enumType ? [f.enumType] : [])));
  return {
    origin: catalog.catalog.origin,
    entity,
    enums: catalog.catalog.enums.filter((e) => enumNames.has(e.name)),
    referencedBy: catalog.referencing(entity.targetEntity).map((e) => e.label),
  };
}

function entityText(catalog: CatalogIndex, entity: CatalogEntity): string {
  const fieldRows = entity.fields.map((f) => [
    f.name,
    f.type === 'Enum' ? `Enum ${f.enumType ?? ''}` : f.type,
    f.maxLength === undefined ? '' : String(f.maxLength),
    entity.keys.includes(f.name) ? `key ${entity.keys.indexOf(f.name) + 1}` : f.mandatory ? 'mandatory' : '',
    f.inferred ? 'inferred' : '',
  ]);
  const relations = entity.relations.map((r) => {
    const target = catalog.findEntity(r.target);
    return `  ${r.fields.join(' + ')} → ${target?.label ?? r.target} (${r.targetFields.join(' + ')})${r.inferred ? '  [inferred]' : ''}`;
  });
  const referencedBy = catalog.referencing(entity.targetEntity).filter((e) => e !== entity);
  const lines = [
    `${entity.label}  (${entity.area}, ${entity.companySpecific ? 'company-specific: DATAAREAID' : 'shared across companies'})`,
    `  target entity ${entity.targetEntity}; OData ${entity.publicEntityName} / ${entity.publicCollectionName}` +
      (entity.stagingTable ? `; staging table ${entity.stagingTable}` : ''),
    `  key: ${entity.keys.join(', ')}`,
    `  ${entity.fields.length} staging fields in F&O header order` +
      (entity.fieldCoverage === 'partial' ? ' (the commonly mapped ones, not every field)' : ''),
    '',
    table(['Field', 'Type', 'Length', 'Required', 'Note'], fieldRows),
    'References:',
    ...(relations.length > 0 ? relations : ['  none']),
    `Referenced by: ${referencedBy.length > 0 ? referencedBy.map((e) => e.label).join(', ') : 'no entity in the catalog'}`,
    'Sources:',
    ...entity.sources.map((s) => `  [${s.kind}] ${s.covers}: ${s.ref}`),
    '',
  ];
  return lines.join('\n');
}

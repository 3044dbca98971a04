/**
 * Where the built-in catalog's facts come from. Each entity lists its sources; these helpers keep
 * the references uniform and checkable.
 */
import type { FactSource } from '../types';

const DOCS_REPO = 'MicrosoftDocs/dynamics-365-unified-operations-public';
const DUAL_WRITE = 'articles/fin-ops-core/dev-itpro/data-entities/dual-write/includes';

/**
 * A dual-write mapping page: its "Finance and Operations field" column lists the entity's staging
 * field names (upper case) exactly as DMF uses them.
 */
export function dualWriteMap(file: string, commit: string): FactSource {
  return {
    kind: 'learn',
    ref: `${DOCS_REPO}@${commit} ${DUAL_WRITE}/${file}`,
    covers: 'label, staging field names',
  };
}

const SYSTEM_SETUP_EXPORT_REF =
  'NathanClouseAX/EnvironmentDataLoader@0666d384a093ca9faf04c98d96d83eab16214dfa resources/010 - System Setup/ (dmf-reference.md §1.5, §1.8 #2; issue #10)';

/** The EnvironmentDataLoader "010 - System Setup" package (F&O export, 2026): labels, target entities, headers. */
export const SYSTEM_SETUP_EXPORT: FactSource = {
  kind: 'real-export',
  ref: SYSTEM_SETUP_EXPORT_REF,
  covers: 'label, target entity, header (key order)',
};

/** The same F&O export, for a fact its data files show (a real written with 16 decimals, an enum value). */
export function systemSetupExport(covers: string): FactSource {
  return { kind: 'real-export', ref: SYSTEM_SETUP_EXPORT_REF, covers };
}

/**
 * The label list of the same template as F&O's DMF template API returned it (captured 2026-09-05
 * from a live environment): 42 entity labels exactly as F&O names them.
 */
export const SYSTEM_SETUP_TEMPLATE: FactSource = {
  kind: 'real-export',
  ref: 'NathanClouseAX/EnvironmentDataLoader@d11b0aad71f66a8389f5f0dc44f58927fb297c94 resources/010 - System Setup/template.json',
  covers: 'label',
};

const CDM_REPO = 'MicrosoftDocs/common-data-model-and-service';
const CDM_ENTITIES = 'common-data-model/schema/core/operationsCommon/Entities';

/**
 * A Common Data Model page of an F&O data entity (generated from the application, 10.0.13): its
 * title is the entity label and AOT name, its attribute list the entity's field names (public
 * names; DMF's staging names are the same in upper case). Types on these pages are all "string",
 * so they establish no type.
 */
export function cdmEntity(path: string, commit: string): FactSource {
  return {
    kind: 'learn',
    ref: `${CDM_REPO}@${commit} ${CDM_ENTITIES}/${path}`,
    covers: 'label, target entity, field names',
  };
}

/** A Microsoft Learn enumeration reference page (AX 2012 base enums F&O kept): names, values, labels. */
export function enumReference(url: string): FactSource {
  return {
    kind: 'learn',
    ref: `${url} (AX 2012 reference; F&O may have added values since)`,
    covers: 'names, values, labels',
  };
}

/** Microsoft FastTrack's Customers V3 export (edited afterwards): header and enum labels. */
export const FASTTRACK_CUSTOMERS_V3: FactSource = {
  kind: 'real-export',
  ref: 'microsoft/Dynamics-365-FastTrack-Implementation-Assets@b8ef392fbf4186d9c129744fd518a357dc9e817d Administration/Dual-write/Bootstrapping/01-CustomersV3Export-Customers V3.csv',
  covers: 'header (CUSTOMERACCOUNT first), enum labels',
};

/** GetEntitySequence prompt with label ↔ AOT ↔ collection examples. */
export const SEQUENCE_PROMPT_LABELS: FactSource = {
  kind: 'client',
  ref: 'mafzaal/d365fo-mcp-prompts@fd0193c18d308a1a8ac208ca03b8ea39cc03059c .github/prompts/dmf-entity-execution-sequence.prompt.md',
  covers: 'label, target entity, collection name',
};

/**
 * The standing inference for built-in entities: field types, string lengths (the sizes of F&O's
 * standard extended data types), mandatory flags, keys and relations follow the standard
 * application as we know it; they were not read from a live environment. Live metadata replaces
 * them (`dmfw catalog --metadata`).
 */
export function inferred(covers = 'types, lengths, mandatory flags, keys, relations'): FactSource {
  return {
    kind: 'inferred',
    ref: 'standard F&O extended data types, table indexes and relations as commonly documented; not read from a live environment',
    covers,
  };
}

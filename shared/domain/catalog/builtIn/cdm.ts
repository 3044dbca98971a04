/**
 * The shape most widened entities share: label, target entity and field names from the entity's
 * Common Data Model page (F&O's own metadata, 10.0.13), everything else inferred and marked so.
 * Fields stay `partial`: later releases add fields, and an unknown column must not become an error.
 */
import { defineEntity } from '../define';
import type { EntitySpec } from '../define';
import type { FactSource } from '../types';
import { cdmEntity, inferred } from './sources';

/** The commit of MicrosoftDocs/common-data-model-and-service the pages were read at. */
export const CDM_COMMIT = '050ab1b7e8f206a75b9b638f25c649728433f4b3';
const CDM_LISTING = `MicrosoftDocs/common-data-model-and-service@${CDM_COMMIT} common-data-model/schema/core/operationsCommon/Entities`;

export interface CdmEntitySpec extends Omit<EntitySpec, 'sources' | 'fieldCoverage'> {
  /** The page under operationsCommon/Entities, e.g. "Common/GAB/DirAddressBooksEntity.md". */
  readonly cdm: string;
  /** Sources beyond the CDM page (a real export, a dual-write map). */
  readonly also?: readonly FactSource[];
  /** What is inferred; by default everything the CDM page does not establish. */
  readonly guessed?: string;
}

export function cdmBacked(spec: CdmEntitySpec): EntitySpec {
  const { cdm, also = [], guessed = 'public names, key, types, lengths, mandatory flags, relations', ...rest } = spec;
  return defineEntity({
    ...rest,
    fieldCoverage: 'partial',
    sources: [cdmEntity(cdm, CDM_COMMIT), ...also, inferred(guessed)],
  });
}

/**
 * An entity whose CDM page is listed (so its AOT name exists) but was not read: the label, key
 * and fields follow F&O's naming and are all inferred, so every rule from them stays a guess.
 */
export function cdmListed(spec: CdmEntitySpec): EntitySpec {
  const {
    cdm,
    also = [],
    guessed = 'label, public names, key, field names, types, lengths, relations',
    ...rest
  } = spec;
  return defineEntity({
    ...rest,
    fieldCoverage: 'partial',
    sources: [
      {
        kind: 'learn',
        ref: `${CDM_LISTING} ${cdm}`,
        covers: 'target entity (listed; the page was not read)',
      },
      ...also,
      inferred(guessed),
    ],
  });
}

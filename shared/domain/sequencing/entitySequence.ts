/**
 * F&O's GetEntitySequence action (DataManagementDefinitionGroups, `listOfDataEntities` = comma-
 * separated entity labels) answers with `Label-Unit-Level-Sequence` tuples joined by commas, with a
 * trailing comma, e.g. "Terms of payment-1-1-1,Customer groups-1-2-1,Customers V3-1-3-1,".
 * [3P: mafzaal/d365fo-mcp-prompts dmf-entity-execution-sequence.prompt.md, an observed response]
 * The observed response keeps every entity in unit 1 and sequence 1, so the emulator answers the
 * same way; unknown labels are left out [INFER: the source says "may omit"].
 */
import type { CatalogIndex } from '../catalog/lookup';
import { planSequence } from './plan';

export interface EntitySequenceTuple {
  readonly label: string;
  readonly executionUnit: number;
  readonly level: number;
  readonly sequence: number;
}

/** What GetEntitySequence returns in `value` for a comma-separated list of labels. */
export function getEntitySequence(listOfDataEntities: string, catalog: CatalogIndex): string {
  const labels = listOfDataEntities
    .split(',')
    .map((l) => l.trim())
    .filter((l) => l !== '' && catalog.findEntity(l) !== undefined);
  const plan = planSequence(
    labels.map((entity) => ({ entity })),
    catalog,
    { units: 'single', sharedSequence: true },
  );
  return formatEntitySequence(plan.placements);
}

export function formatEntitySequence(tuples: readonly EntitySequenceTuple[]): string {
  return tuples.map((t) => `${t.label}-${t.executionUnit}-${t.level}-${t.sequence},`).join('');
}

/**
 * Parses a GetEntitySequence value. Labels may contain '-' ("Organization hierarchy V2 - published
 * and draft"), so the three numbers are taken from the right. Malformed entries are skipped.
 */
export function parseEntitySequence(value: string): EntitySequenceTuple[] {
  const out: EntitySequenceTuple[] = [];
  for (const entry of value.split(',')) {
    const [, label, unit, level, sequence] = /^(.+)-(\d+)-(\d+)-(\d+)$/.exec(entry.trim()) ?? [];
    if (label === undefined) continue;
    out.push({ label, executionUnit: Number(unit), level: Number(level), sequence: Number(sequence) });
  }
  return out;
}

import { COMPANIES } from '../seeds/demoData';
import type { RecordStore } from './records';

/**
 * The environment's legal entities (companies): the emulator's own three, which exist with or
 * without the demo data, plus every record of the Legal entities entity (OMLegalEntity), so that
 * importing a legal entity creates it as in F&O. Ids are upper case; F&O compares them
 * case-insensitively.
 */
export function legalEntities(store: RecordStore): string[] {
  const ids = new Set<string>(COMPANIES);
  const table = store.tableByName('OMLegalEntity');
  const index = table?.fieldIndex.get('LEGALENTITYID');
  if (table && index !== undefined) {
    for (const record of table.records('')) {
      const id = record.values[index];
      if (id) ids.add(id.toUpperCase());
    }
  }
  return [...ids];
}

export function isLegalEntity(store: RecordStore, id: string): boolean {
  const upper = id.trim().toUpperCase();
  if ((COMPANIES as readonly string[]).includes(upper)) return true;
  return store.tableByName('OMLegalEntity')?.hasKey('', [upper]) ?? false;
}

/**
 * What F&O says to a company it does not have. ImportFromPackage with legalEntityId "Input"
 * answered 400 Bad Request [ISSUE microsoft/Recurring-Integrations-Scheduler #100]; the body's
 * wording is [INFER] (the thread does not show it).
 */
export function unknownLegalEntityMessage(store: RecordStore, id: string, parameter: string): string {
  return (
    `Company '${id}' does not exist. Pass one of this environment's legal entities as ${parameter} ` +
    `(${legalEntities(store).join(', ')}), or import the legal entity first.`
  );
}

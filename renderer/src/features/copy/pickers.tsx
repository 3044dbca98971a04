import { useEffect, useId, useMemo, useState } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import type { CatalogEntitySummary } from '../../../../shared/api/domains/catalog';
import { messageOf } from '../../app/errors';
import { Field } from '../../app/Field';
import { plural } from '../../app/format';
import { NONE, useWorkbench } from '../../app/workbench';
import { useLegalEntities } from '../environments/useLegalEntities';

/** An environment and one of its legal entities: where a copy or an export reads or writes. */
export interface Side {
  readonly environmentId: string;
  readonly company: string;
}

/** Setup entities consultants copy and export most (offered first). */
const COMMON = new Set([
  'Terms of payment',
  'Customer groups',
  'Vendor groups',
  'Payment methods',
  'Methods of payment',
  'Delivery terms',
  'Modes of delivery',
  'Units',
  'Currencies',
]);

/** Environment and legal entity, as a fieldset named by its title ("From", "To", "Export from"). */
export function SidePicker(props: { title: string; side: Side; onChange: (side: Side) => void }) {
  const { shell } = useWorkbench();
  const environments = useStore(shell, (s) => s.environments?.environments ?? NONE);
  const env = environments.find((e) => e.id === props.side.environmentId);
  const companies = useLegalEntities(props.side.environmentId, env?.connection);
  const options = [...new Set([props.side.company, ...companies.map((c) => c.id)])];
  return (
    <fieldset className="fieldset copy-side">
      <legend>{props.title}</legend>
      <Field label="Environment">
        {({ id }) => (
          <select
            id={id}
            className="input"
            value={props.side.environmentId}
            onChange={(e) => props.onChange({ ...props.side, environmentId: e.target.value })}
          >
            {environments.map((e) => (
              <option key={e.id} value={e.id}>
                {e.tag} · {e.name}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field label="Legal entity">
        {({ id }) => (
          <>
            <select
              id={id}
              className="input"
              value={props.side.company}
              onChange={(e) => props.onChange({ ...props.side, company: e.target.value })}
            >
              {options.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
            <span className="field__hint">
              {companies.find((c) => c.id === props.side.company)?.name ?? (env ? env.name : '')}
            </span>
          </>
        )}
      </Field>
    </fieldset>
  );
}

/**
 * Entities to tick, searchable, from the built-in catalog or (`environmentId`) from what that
 * environment's metadata says it has (catalog.entities reads $metadata and /Metadata/DataEntities).
 */
export function EntityChooser(props: {
  /** The region's accessible name, e.g. "Entities to copy". */
  label: string;
  selected: readonly string[];
  onChange: (entities: string[]) => void;
  /** Read the entities from this environment instead of the built-in catalog. */
  environmentId?: string | null;
  /** Above the search: e.g. where the entities come from. */
  children?: ReactNode;
}) {
  const { client } = useWorkbench();
  const environmentId = props.environmentId ?? null;
  /** The answer for one catalog (built-in or an environment's): a stale answer for another is not shown. */
  const [loaded, setLoaded] = useState<{
    environmentId: string | null;
    entities: readonly CatalogEntitySummary[];
    problem: string | null;
  }>();
  const [query, setQuery] = useState('');
  const searchId = useId();
  useEffect(() => {
    let live = true;
    client.call('catalog.entities', { environmentId }).then(
      (answer) => live && setLoaded({ environmentId, entities: answer.entities, problem: null }),
      (error: unknown) => live && setLoaded({ environmentId, entities: [], problem: messageOf(error) }),
    );
    return () => {
      live = false;
    };
  }, [client, environmentId]);
  const current = loaded?.environmentId === environmentId ? loaded : null;
  const problem = current?.problem ?? null;
  const all = current?.entities ?? null;
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    const list = (all ?? []).filter((e) => !q || e.label.toLowerCase().includes(q) || e.area.toLowerCase().includes(q));
    // What is chosen first, then the common setup entities, then the rest by area.
    const rank = (e: CatalogEntitySummary) => (props.selected.includes(e.label) ? 0 : COMMON.has(e.label) ? 1 : 2);
    return [...list].sort(
      (a, b) => rank(a) - rank(b) || a.area.localeCompare(b.area) || a.label.localeCompare(b.label),
    );
  }, [all, query, props.selected]);
  const toggle = (label: string, on: boolean) =>
    props.onChange(on ? [...props.selected, label] : props.selected.filter((l) => l !== label));
  return (
    <section className="panel copy-entities" aria-label={props.label}>
      <div className="panel__header">
        <h2 className="panel__title">Entities</h2>
        <span className="muted">{plural(props.selected.length, 'entity', 'entities')} chosen</span>
      </div>
      <div className="panel__body copy-entities__body">
        {props.children}
        <label className="visually-hidden" htmlFor={searchId}>
          Search entities
        </label>
        <input
          id={searchId}
          className="input"
          type="search"
          placeholder="Search entities by name or area"
          value={query}
          onChange={(e) => setQuery(e.target.value)}
        />
        {problem && (
          <p className="field__error" role="alert">
            {problem}
          </p>
        )}
        {all === null ? (
          <p className="loading" role="progressbar" aria-label="Loading the catalog" />
        ) : (
          <ul className="copy-entities__list" aria-label="Catalog entities">
            {shown.map((e) => (
              <li key={e.label}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={props.selected.includes(e.label)}
                    onChange={(event) => toggle(e.label, event.target.checked)}
                  />
                  <span className="check__text">
                    {e.label}
                    <span className="check__hint">
                      {e.area}
                      {e.companySpecific ? '' : ' · shared by all legal entities'}
                    </span>
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  );
}

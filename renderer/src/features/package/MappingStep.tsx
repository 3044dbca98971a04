import { useState } from 'react';
import type { PackagePlan, PlannedEntity } from '../../../../shared/api/domains/packages';
import { Icon } from '../../app/icons';
import { TableHead } from '../../app/TableHead';
import type { WizardStore } from './wizardStore';

const NOT_MAPPED = '';

/**
 * Saves an entity's mapping with one field fed by another column (or none): every other field
 * keeps its column, as the project (or, before any choice, the match by name) has it when the
 * change is applied.
 */
async function remap(store: WizardStore, label: string, field: string, column: string) {
  await store.getState().changeEntity(label, (spec) => {
    const current =
      spec.mapping ??
      (store.getState().plan?.entities.find((e) => e.label === label)?.mapping ?? []).map((m) => ({
        sourceColumn: m.sourceColumn,
        stagingField: m.stagingField,
      }));
    const mapping = [
      ...current.filter((m) => m.stagingField !== field && m.sourceColumn !== column),
      ...(column === NOT_MAPPED ? [] : [{ sourceColumn: column, stagingField: field }]),
    ];
    return { ...spec, mapping };
  });
}

function MappingTable({ store, entity }: { store: WizardStore; entity: PlannedEntity }) {
  const origin = new Map(entity.mapping.map((m) => [m.stagingField, m.origin]));
  const manual = entity.mapping.some((m) => m.origin === 'manual');
  const [all, setAll] = useState(false);
  // Fields that matter first: mapped, mandatory or key; the others on request (an entity has dozens).
  const main = entity.fields.filter((f) => f.mappedFrom !== null || f.mandatory || f.key);
  const rest = entity.fields.filter((f) => !main.includes(f));
  const shown = all ? [...main, ...rest] : main;
  return (
    <section className="panel mapping" aria-label={`Mapping of ${entity.label}`}>
      <div className="panel__header">
        <div>
          <h2 className="panel__title">{entity.label}</h2>
          <p className="muted mapping__summary">
            {entity.mapping.length} of {entity.columns.length} columns mapped · {entity.fields.length} staging fields
            {entity.fields.some((f) => f.mandatory) &&
              ` · ${entity.fields.filter((f) => f.mandatory).length} mandatory`}
          </p>
        </div>
        <button
          type="button"
          className="button button--secondary button--small"
          disabled={!manual}
          onClick={() => void store.getState().changeEntity(entity.label, ({ mapping: _drop, ...spec }) => spec)}
        >
          <Icon name="refresh" size={16} />
          Map by name again
        </button>
      </div>
      {entity.missingMandatory.length > 0 && (
        <div className="alert alert--warning mapping__alert" role="note">
          <Icon name="alert" />
          <p>
            No column feeds the mandatory {entity.missingMandatory.length === 1 ? 'field' : 'fields'}{' '}
            <strong>{entity.missingMandatory.join(', ')}</strong>: every row would fail staging → target unless F&amp;O
            defaults {entity.missingMandatory.length === 1 ? 'it' : 'them'}. Choose a column below.
          </p>
        </div>
      )}
      <div className="mapping__layout">
        <table className="table mapping__table" aria-label="Staging fields">
          <TableHead columns={['Staging field', 'Type', 'Source column', 'How']} />
          <tbody>
            {shown.map((field) => (
              <tr key={field.name} className={field.mandatory && !field.mappedFrom ? 'is-missing' : undefined}>
                <th scope="row" className="mono">
                  {field.name}
                  {field.mandatory && (
                    <span className="mandatory" title="Mandatory" aria-label="mandatory">
                      *
                    </span>
                  )}
                  {field.key && <span className="badge badge--plain mapping__key">Key</span>}
                </th>
                <td className="muted">
                  {field.type}
                  {field.maxLength ? `(${field.maxLength})` : ''}
                </td>
                <td>
                  <select
                    className="input mapping__select"
                    value={field.mappedFrom ?? NOT_MAPPED}
                    aria-label={`Source column for ${field.name}`}
                    onChange={(e) => void remap(store, entity.label, field.name, e.target.value)}
                  >
                    <option value={NOT_MAPPED}>— not mapped —</option>
                    {entity.columns.map((c) => (
                      <option key={c} value={c}>
                        {c}
                      </option>
                    ))}
                  </select>
                </td>
                <td>
                  {field.mappedFrom &&
                    (origin.get(field.name) === 'manual' ? (
                      <span className="badge badge--accent">Chosen</span>
                    ) : (
                      <span className="badge badge--plain">By name</span>
                    ))}
                </td>
              </tr>
            ))}
          </tbody>
          {rest.length > 0 && (
            <tfoot>
              <tr>
                <td colSpan={4}>
                  <button type="button" className="link-button" aria-expanded={all} onClick={() => setAll(!all)}>
                    {all ? `Show only the mapped and mandatory fields` : `Show the other ${rest.length} fields`}
                  </button>
                </td>
              </tr>
            </tfoot>
          )}
        </table>
        <aside className="mapping__unmapped" aria-label="Unmapped source columns">
          <h3>Unmapped source columns</h3>
          {entity.unmappedColumns.length === 0 ? (
            <p className="muted">Every column of the file feeds a field.</p>
          ) : (
            <>
              <p className="muted">Not in the package. Map them to a field if they carry data F&amp;O needs.</p>
              <ul>
                {entity.unmappedColumns.map((c) => (
                  <li key={c} className="mono">
                    {c}
                  </li>
                ))}
              </ul>
            </>
          )}
        </aside>
      </div>
    </section>
  );
}

export function MappingStep({ store, plan }: { store: WizardStore; plan: PackagePlan }) {
  const entities = plan.entities.filter((e) => e.enabled && e.targetEntity !== null);
  const [chosen, setChosen] = useState<string | null>(null);
  const current = entities.find((e) => e.label === chosen) ?? entities[0];
  if (!current) {
    return (
      <p className="hint">
        <Icon name="info" />
        Add an entity of the catalog first: its staging fields are what the columns map to.
      </p>
    );
  }
  return (
    <div className="mapping-step">
      <nav className="entity-tabs" aria-label="Entities to map">
        {entities.map((e) => (
          <button
            key={e.label}
            type="button"
            className={`entity-tabs__tab${e.label === current.label ? ' is-current' : ''}`}
            aria-current={e.label === current.label ? 'true' : undefined}
            onClick={() => setChosen(e.label)}
          >
            <span>{e.label}</span>
            {e.missingMandatory.length > 0 ? (
              <span className="badge badge--warn" aria-label={`${e.missingMandatory.length} mandatory fields unmapped`}>
                {e.missingMandatory.length}
              </span>
            ) : (
              <Icon name="check" size={14} />
            )}
          </button>
        ))}
      </nav>
      <MappingTable store={store} entity={current} />
    </div>
  );
}

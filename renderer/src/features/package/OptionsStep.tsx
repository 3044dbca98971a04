import type { PackagePlan, PlannedEntity, ProcessingOptions } from '../../../../shared/api/domains/packages';
import type { ChangeTracking, ProjectDocument, ProjectEntity } from '../../../../shared/api/domains/projects';
import type { RefreshType } from '../../../../shared/domain/package/model';
import { Field } from '../../app/Field';
import { Icon } from '../../app/icons';
import type { WizardStore } from './wizardStore';

const CHANGE_TRACKING_LABEL: Record<ChangeTracking, string> = {
  none: 'None',
  'primary-table': 'Primary table',
  'entire-entity': 'Entire entity',
  'custom-query': 'Custom query',
};

const PROCESSING: readonly { key: keyof ProcessingOptions; label: string; hint: string }[] = [
  { key: 'runBusinessValidation', label: 'Business validations', hint: 'validateWrite on every record' },
  { key: 'runBusinessLogic', label: 'Business logic', hint: 'insert and update logic of the tables' },
  { key: 'failLevelOnError', label: 'Fail level on error', hint: 'stop the rest of the level' },
  { key: 'failExecutionUnitOnError', label: 'Fail unit on error', hint: 'stop the rest of the execution unit' },
];

const FORMATS: readonly { value: ProjectDocument['options']['packageFormat']; label: string }[] = [
  { value: 'CSV-Unicode', label: 'CSV (Unicode) – recommended' },
  { value: 'CSV', label: 'CSV (Windows-1252)' },
  { value: 'EXCEL', label: 'Excel' },
  { value: 'XML-Element', label: 'XML (elements)' },
  { value: 'XML-Attribute', label: 'XML (attributes)' },
];

function EntityOptions({ store, entity }: { store: WizardStore; entity: PlannedEntity }) {
  // Every value is read from the event here: React resets a controlled control right after the
  // event, so a value read later (inside `change`) would be the old one.
  const update = (change: (spec: ProjectEntity) => ProjectEntity) =>
    void store.getState().changeEntity(entity.label, change);
  const incrementalWithout = entity.refreshType === 'IncrementalPush' && entity.changeTracking === 'none';
  return (
    <tr>
      <th scope="row">
        {entity.label}
        {incrementalWithout && (
          <div className="field__error">Incremental push needs change tracking on the entity in F&amp;O.</div>
        )}
      </th>
      <td>
        <select
          className="input"
          value={entity.changeTracking}
          aria-label={`Change tracking of ${entity.label}`}
          onChange={(e) => {
            const changeTracking = e.target.value as ChangeTracking;
            update((spec) => ({ ...spec, changeTracking }));
          }}
        >
          {Object.entries(CHANGE_TRACKING_LABEL).map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </td>
      <td>
        <select
          className="input"
          value={entity.refreshType}
          aria-label={`Push of ${entity.label}`}
          onChange={(e) => {
            const refreshType = e.target.value as RefreshType;
            update((spec) => ({ ...spec, refreshType }));
          }}
        >
          <option value="FullPush">Full push</option>
          <option value="IncrementalPush">Incremental push</option>
        </select>
      </td>
      {PROCESSING.map((option) => (
        <td key={option.key} className="options-table__check">
          <input
            type="checkbox"
            checked={entity.processing[option.key]}
            aria-label={`${option.label} for ${entity.label}`}
            onChange={(e) => {
              const checked = e.target.checked;
              update((spec) => ({ ...spec, processing: { ...spec.processing, [option.key]: checked } }));
            }}
          />
        </td>
      ))}
    </tr>
  );
}

export function OptionsStep({ store, plan }: { store: WizardStore; plan: PackagePlan }) {
  const entities = plan.entities.filter((e) => e.enabled && e.targetEntity !== null);
  const binding = plan.document.binding;
  return (
    <div className="options-step">
      <section className="panel" aria-label="Package">
        <div className="panel__header">
          <h2 className="panel__title">Package</h2>
        </div>
        <div className="panel__body form__row options-step__package">
          <Field label="Data project" hint="The definition group F&O creates or updates on import.">
            {({ id }) => (
              <input
                id={id}
                className="input"
                defaultValue={binding.dataProject ?? plan.document.name}
                key={binding.dataProject ?? ''}
                onBlur={(e) => {
                  const value = e.target.value.trim();
                  if (value && value !== binding.dataProject)
                    void store.getState().changeBinding({ ...binding, dataProject: value });
                }}
              />
            )}
          </Field>
          <Field label="Legal entity" hint="The company (dataAreaId) the rows load into.">
            {({ id }) => (
              <input
                id={id}
                className="input input--mono"
                maxLength={4}
                defaultValue={binding.company ?? ''}
                key={binding.company ?? ''}
                placeholder="The environment's default"
                onBlur={(e) => {
                  const value = e.target.value.trim().toUpperCase();
                  if (value !== (binding.company ?? '') && (value === '' || /^[A-Z0-9]{1,4}$/.test(value))) {
                    const { company: _drop, ...rest } = binding;
                    void store.getState().changeBinding(value ? { ...rest, company: value } : rest);
                  }
                }}
              />
            )}
          </Field>
          <Field label="Data file format">
            {({ id }) => (
              <select
                id={id}
                className="input"
                value={plan.document.options.packageFormat}
                onChange={(e) =>
                  void store
                    .getState()
                    .changeOptions({ packageFormat: e.target.value as ProjectDocument['options']['packageFormat'] })
                }
              >
                {FORMATS.map((f) => (
                  <option key={f.value} value={f.value}>
                    {f.label}
                  </option>
                ))}
              </select>
            )}
          </Field>
        </div>
      </section>

      <section className="panel" aria-label="Entities">
        <div className="panel__header">
          <h2 className="panel__title">Per entity</h2>
          <p className="muted options-step__note">
            <Icon name="info" size={16} /> Change tracking is set on the entity in F&amp;O (Data entities &gt; Change
            tracking); the project records what each entity needs.
          </p>
        </div>
        <table className="table options-table" aria-label="Options per entity">
          <thead>
            <tr>
              <th scope="col">Entity</th>
              <th scope="col">Change tracking</th>
              <th scope="col">Push</th>
              {PROCESSING.map((o) => (
                <th key={o.key} scope="col" title={o.hint} className="options-table__check">
                  {o.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {entities.map((entity) => (
              <EntityOptions key={entity.label} store={store} entity={entity} />
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}

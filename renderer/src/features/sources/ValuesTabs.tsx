/**
 * The Values side panel: a column's distinct values (ValuesPanel), its clusters of variants
 * (ClustersView) and its value mapping table (ValueMapView), one tab each, on the same column.
 */
import { useState } from 'react';
import type { Client } from '../../../../shared/api/client';
import type { DatasetInfo } from '../../../../shared/api/domains/datasets';
import { ClustersView } from './ClustersView';
import type { SourcesStore } from './sourcesStore';
import { ValueMapView } from './ValueMapView';
import { ValuesPanel } from './ValuesPanel';
import './values.css';

const TABS = [
  ['values', 'Values'],
  ['clusters', 'Clusters'],
  ['mapping', 'Value mapping'],
] as const;
type Tab = (typeof TABS)[number][0];

export function ValuesTabs(props: { store: SourcesStore; client: Client; info: DatasetInfo }) {
  const [tab, setTab] = useState<Tab>('values');
  return (
    <div className={`values-tabs${tab === 'values' ? '' : ' values-tabs--wide'}`}>
      <div className="tabs values-tabs__bar" role="tablist" aria-label="Column values views">
        {TABS.map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            id={`values-tab-${id}`}
            aria-selected={tab === id}
            aria-controls={`values-panel-${id}`}
            className="tabs__tab"
            onClick={() => setTab(id)}
          >
            {label}
          </button>
        ))}
      </div>
      <div role="tabpanel" id={`values-panel-${tab}`} aria-labelledby={`values-tab-${tab}`}>
        {tab === 'values' && <ValuesPanel {...props} />}
        {tab === 'clusters' && <ClustersView {...props} />}
        {tab === 'mapping' && <ValueMapView {...props} />}
      </div>
    </div>
  );
}

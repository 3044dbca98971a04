/**
 * What the reader detected (encoding, delimiter, header row, sheet), shown as facts with a
 * "Change" form that reads the file again with overrides.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import type { DatasetInfo, ReadOptions } from '../../../../shared/api/domains/datasets';
import { ENCODINGS, encodingLabel, encodingReasonLabel } from './encodings';

const DELIMITERS = [
  { value: ',', label: 'Comma ,' },
  { value: ';', label: 'Semicolon ;' },
  { value: '\t', label: 'Tab' },
  { value: '|', label: 'Vertical bar |' },
  { value: ':', label: 'Colon :' },
] as const;

const KIND_LABEL = {
  csv: 'Delimited text',
  xlsx: 'Excel workbook',
  'xml-attribute': 'XML (attributes)',
  'xml-element': 'XML (elements)',
} as const;

function delimiterLabel(delimiter: string | null): string {
  return DELIMITERS.find((d) => d.value === delimiter)?.label ?? (delimiter === null ? '—' : JSON.stringify(delimiter));
}

export function ReadSettings(props: { info: DatasetInfo; busy: boolean; onReopen: (options: ReadOptions) => void }) {
  const detection = props.info.detection;
  const [editing, setEditing] = useState(false);
  const [encoding, setEncoding] = useState(detection?.encoding ?? 'utf-8');
  const [delimiter, setDelimiter] = useState(detection?.delimiter ?? ',');
  const [headerRow, setHeaderRow] = useState(detection?.headerRow ?? true);
  const [sheet, setSheet] = useState(detection?.sheet ?? '');
  if (!detection) return null;
  const text = detection.kind === 'csv';
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const options: ReadOptions = {
      headerRow,
      ...(text ? { encoding, delimiter: delimiter as ReadOptions['delimiter'] } : {}),
      ...(detection.kind === 'xlsx' && sheet.trim() ? { sheet: sheet.trim() } : {}),
    };
    setEditing(false);
    props.onReopen(options);
  };
  return (
    <div className="read-settings">
      <dl className="read-settings__facts" aria-label="How the file was read">
        <div>
          <dt>Format</dt>
          <dd>{KIND_LABEL[detection.kind]}</dd>
        </div>
        {detection.encoding && (
          <div>
            <dt>Encoding</dt>
            <dd title={detection.encodingReason ? `Detected from: ${detection.encodingReason}` : undefined}>
              {encodingLabel(detection.encoding)}
              {detection.encodingReason && (
                <span className="muted"> · {encodingReasonLabel(detection.encodingReason)}</span>
              )}
            </dd>
          </div>
        )}
        {text && (
          <div>
            <dt>Delimiter</dt>
            <dd>{delimiterLabel(detection.delimiter)}</dd>
          </div>
        )}
        {detection.sheet && (
          <div>
            <dt>Sheet</dt>
            <dd>{detection.sheet}</dd>
          </div>
        )}
        <div>
          <dt>Header row</dt>
          <dd>{detection.headerRow ? 'First row' : 'None (columns numbered)'}</dd>
        </div>
      </dl>
      {!editing ? (
        <button type="button" className="button button--ghost" onClick={() => setEditing(true)} disabled={props.busy}>
          Change how it is read…
        </button>
      ) : (
        <form className="read-settings__form" onSubmit={submit} aria-label="Read the file again">
          {text && (
            <label>
              Encoding
              <select className="input" value={encoding} onChange={(e) => setEncoding(e.target.value)}>
                {ENCODINGS.map((e) => (
                  <option key={e.value} value={e.value}>
                    {e.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          {text && (
            <label>
              Delimiter
              <select className="input" value={delimiter} onChange={(e) => setDelimiter(e.target.value)}>
                {DELIMITERS.map((d) => (
                  <option key={d.value} value={d.value}>
                    {d.label}
                  </option>
                ))}
              </select>
            </label>
          )}
          {detection.kind === 'xlsx' && (
            <label>
              Sheet
              <input className="input" value={sheet} onChange={(e) => setSheet(e.target.value)} />
            </label>
          )}
          <label className="checkbox">
            <input type="checkbox" checked={headerRow} onChange={(e) => setHeaderRow(e.target.checked)} />
            First row is the header
          </label>
          <p className="muted read-settings__warning">Reading again drops the edits made to this file.</p>
          <button type="submit" className="button button--primary">
            Read again
          </button>
          <button type="button" className="button button--ghost" onClick={() => setEditing(false)}>
            Cancel
          </button>
        </form>
      )}
    </div>
  );
}

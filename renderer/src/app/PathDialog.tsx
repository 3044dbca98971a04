/**
 * Choosing a folder, a file, or where to save one, on the machine the services run on (in
 * browser mode that is this one too). The same in both modes: the services list the folders
 * (datasets.browse), so the path the consultant sees is the path the services will use.
 */
import { useCallback, useEffect, useId, useState } from 'react';
import type { FolderListing } from '../../../shared/api/domains/datasets';
import { Dialog } from './Dialog';
import { ErrorAlert } from './ErrorAlert';
import { messageOf } from './errors';
import { Field } from './Field';
import { bytes } from './format';
import { Icon } from './icons';
import { useWorkbench } from './workbench';

export type PathMode = 'folder' | 'file' | 'save';

const separatorOf = (dir: string) => (dir.includes('\\') && !dir.includes('/') ? '\\' : '/');
export const joinPath = (dir: string, name: string) => `${dir.replace(/[\\/]+$/, '')}${separatorOf(dir)}${name}`;

export function PathDialog(props: {
  mode: PathMode;
  title: string;
  /** Folder to start in (default: the home folder). */
  start?: string | null;
  /** The file name to offer when saving. */
  fileName?: string;
  /** Which files to list when choosing one (lower-case extensions with the dot). */
  extensions?: readonly string[];
  confirmLabel: string;
  onChoose: (path: string) => void;
  onClose: () => void;
}) {
  const { client } = useWorkbench();
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [name, setName] = useState(props.fileName ?? '');
  const [typed, setTyped] = useState('');
  const pathId = useId();
  const browse = useCallback(
    (dir?: string) => {
      client.call('datasets.browse', dir ? { dir } : {}).then(
        (result) => {
          setListing(result);
          setTyped(result.dir);
          setProblem(null);
        },
        (error: unknown) => setProblem(messageOf(error)),
      );
    },
    [client],
  );
  useEffect(() => browse(props.start ?? undefined), [browse, props.start]);
  const files = (listing?.entries ?? []).filter(
    (e) =>
      e.kind === 'folder' ||
      (props.mode !== 'folder' &&
        (!props.extensions || props.extensions.some((ext) => e.name.toLowerCase().endsWith(ext)))),
  );
  const choose = () => {
    if (!listing) return;
    if (props.mode === 'folder') props.onChoose(listing.dir);
    else if (props.mode === 'save' && name.trim()) props.onChoose(joinPath(listing.dir, name.trim()));
  };
  return (
    <Dialog
      title={props.title}
      wide
      onClose={props.onClose}
      onSubmit={choose}
      actions={
        <>
          <button type="button" className="button button--secondary" onClick={props.onClose}>
            Cancel
          </button>
          {props.mode !== 'file' && (
            <button
              type="submit"
              className="button button--primary"
              disabled={!listing || (props.mode === 'save' && !name.trim())}
            >
              {props.confirmLabel}
            </button>
          )}
        </>
      }
    >
      <div className="path-dialog">
        <div className="path-dialog__bar">
          <button
            type="button"
            className="icon-button"
            aria-label="Up one folder"
            disabled={!listing?.parent}
            onClick={() => listing?.parent && browse(listing.parent)}
          >
            <Icon name="chevronUp" size={18} />
          </button>
          <label htmlFor={pathId} className="visually-hidden">
            Folder
          </label>
          <input
            id={pathId}
            className="input input--mono path-dialog__path"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === 'Enter') {
                e.preventDefault();
                browse(typed);
              }
            }}
            spellCheck={false}
          />
          <button type="button" className="button button--secondary button--small" onClick={() => browse(typed)}>
            Go
          </button>
        </div>
        {listing && listing.recent.length > 0 && (
          <div className="path-dialog__recent" role="group" aria-label="Recent folders">
            <span className="muted">Recent:</span>
            {listing.recent.slice(0, 4).map((dir) => (
              <button key={dir} type="button" className="link-button" onClick={() => browse(dir)} title={dir}>
                {dir.split(/[\\/]/).filter(Boolean).at(-1) ?? dir}
              </button>
            ))}
          </div>
        )}
        <ErrorAlert problem={problem} />
        <ul className="path-dialog__list" aria-label={`Contents of ${listing?.dir ?? 'the folder'}`}>
          {files.map((entry) => (
            <li key={entry.name}>
              <button
                type="button"
                className="path-dialog__entry"
                onClick={() => {
                  if (!listing) return;
                  const path = joinPath(listing.dir, entry.name);
                  if (entry.kind === 'folder') browse(path);
                  else if (props.mode === 'file') props.onChoose(path);
                  else if (props.mode === 'save') setName(entry.name);
                }}
              >
                <Icon name={entry.kind === 'folder' ? 'folder' : 'file'} size={16} />
                <span className="path-dialog__name">{entry.name}</span>
                <span className="muted">{entry.kind === 'file' && entry.size !== null ? bytes(entry.size) : ''}</span>
              </button>
            </li>
          ))}
          {listing && files.length === 0 && (
            <li className="muted path-dialog__empty">
              {props.mode === 'folder' ? 'No sub-folders here.' : 'Nothing to choose here.'}
            </li>
          )}
        </ul>
        {props.mode === 'save' && (
          <Field label="File name">
            {({ id }) => (
              <input
                id={id}
                className="input input--mono"
                value={name}
                onChange={(e) => setName(e.target.value)}
                spellCheck={false}
              />
            )}
          </Field>
        )}
      </div>
    </Dialog>
  );
}

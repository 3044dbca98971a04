/**
 * Opening a source file. The desktop app has the native dialog and drag and drop (the preload
 * turns a dropped file into its path). Browser mode cannot see paths of dropped files, so it lists
 * folders of the machine the services run on (which, in browser mode, is this one): a file chooser
 * with the home folder and recent folders, and a path field. Dropped files are not uploaded: the
 * file is already on this disk, and opening it in place keeps its path for the edits journal,
 * "read again with other settings" and recent folders, with no second copy of a 1 GB extract.
 */
import { useEffect, useState } from 'react';
import type { DragEvent, FormEvent } from 'react';
import type { Client } from '../../../../shared/api/client';
import type { FolderListing, PackageContents, ReadOptions } from '../../../../shared/api/domains/datasets';
import { Icon } from '../../app/icons';
import { ENCODINGS } from './encodings';
import { messageOf } from './sourcesStore';
import './readProblems.css';

declare global {
  interface Window {
    /** Set by the Electron preload: the path of a dropped file. Absent in browser mode. */
    readonly dmfwFiles?: { pathForFile(file: File): string };
  }
}

function formatSize(bytes: number | null): string {
  if (bytes === null) return '';
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(0)} KB`;
  if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
  return `${(bytes / 1024 / 1024 / 1024).toFixed(2)} GB`;
}

/**
 * The folders of this computer, starting where the consultant was last (`start`: this session's
 * last folder; else the newest recent folder the services remember; else the home folder).
 */
function FolderBrowser(props: {
  client: Client;
  start: string | null;
  onOpen: (path: string) => void;
  onFolder: (dir: string) => void;
  busy: boolean;
}) {
  const [listing, setListing] = useState<FolderListing | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const show = (result: FolderListing) => {
    setListing(result);
    setProblem(null);
    props.onFolder(result.dir);
  };
  const browse = (dir?: string, fallback?: FolderListing) => {
    props.client.call('datasets.browse', dir === undefined ? {} : { dir }).then(show, (error: unknown) =>
      // A remembered folder that is gone: the home folder instead, without a fuss.
      fallback ? show(fallback) : setProblem(messageOf(error)),
    );
  };
  // Where it starts is read once: the folders browsed later are reported, not followed.
  const [start] = useState(props.start);
  useEffect(() => {
    if (start) {
      browse(start);
      return;
    }
    props.client.call('datasets.browse', {}).then(
      (home) => (home.recent[0] ? browse(home.recent[0], home) : show(home)),
      (error: unknown) => setProblem(messageOf(error)),
    );
  }, []); // eslint-disable-line react-hooks/exhaustive-deps
  const join = (dir: string, name: string) => `${dir.replace(/[\\/]$/, '')}${dir.includes('\\') ? '\\' : '/'}${name}`;
  return (
    <section className="folder-browser" aria-label="Files on this computer">
      <div className="folder-browser__bar">
        <button
          type="button"
          className="button button--ghost"
          onClick={() => listing?.parent && browse(listing.parent)}
          disabled={!listing?.parent}
          aria-label="Up one folder"
        >
          ↑
        </button>
        <span className="folder-browser__dir" aria-label="Current folder">
          {listing?.dir ?? '…'}
        </span>
        <button
          type="button"
          className="button button--ghost"
          onClick={() => browse(listing?.home)}
          aria-label="Home folder"
        >
          Home
        </button>
      </div>
      {listing && listing.recent.length > 0 && (
        <div className="folder-browser__recent" role="group" aria-label="Recent folders">
          <span className="folder-browser__label">Recent</span>
          {listing.recent.map((dir) => (
            <button key={dir} type="button" className="chip" onClick={() => browse(dir)} title={dir}>
              {dir.split(/[\\/]/).filter(Boolean).at(-1) ?? dir}
            </button>
          ))}
        </div>
      )}
      {problem && (
        <p className="form-error" role="alert">
          {problem}
        </p>
      )}
      <ul className="folder-browser__list" aria-label="Folder contents">
        {listing?.entries.map((entry) => (
          <li key={entry.name}>
            <button
              type="button"
              className={`folder-entry folder-entry--${entry.kind}`}
              disabled={props.busy}
              onClick={() =>
                entry.kind === 'folder'
                  ? browse(join(listing.dir, entry.name))
                  : props.onOpen(join(listing.dir, entry.name))
              }
              aria-label={entry.kind === 'folder' ? `Folder ${entry.name}` : `Open ${entry.name}`}
            >
              <Icon name={entry.kind === 'folder' ? 'folder' : 'file'} size={18} />
              <span className="folder-entry__name">{entry.name}</span>
              <span className="folder-entry__size">{entry.kind === 'file' ? formatSize(entry.size) : ''}</span>
            </button>
          </li>
        ))}
        {listing && listing.entries.length === 0 && (
          <li className="folder-browser__empty">No folders or data files here.</li>
        )}
      </ul>
      {listing?.truncated && <p className="muted">Only the first 2,000 entries are listed: type the path instead.</p>}
    </section>
  );
}

/** The entities of a chosen data package: open one of them. */
function PackageChoice(props: {
  contents: PackageContents;
  busy: boolean;
  onOpen: (path: string, options: ReadOptions) => void;
}) {
  const { contents } = props;
  const name = contents.path.split(/[\\/]/).at(-1) ?? contents.path;
  return (
    <section className="package-choice" aria-label={`Entities of ${name}`}>
      <h3 className="package-choice__title">
        {name} is a data package with {contents.entities.length}{' '}
        {contents.entities.length === 1 ? 'entity' : 'entities'}: open one.
      </h3>
      <ul className="package-choice__list">
        {contents.entities.map((e) => (
          <li key={e.entity} className="package-choice__item">
            <div>
              <div className="package-choice__entity">{e.entity}</div>
              <div className="muted">
                {e.file ? `${e.file} · ${formatSize(e.size)}` : 'its data file is missing from the package'}
                {e.sourceFormat ? ` · ${e.sourceFormat}` : ''}
              </div>
            </div>
            <button
              type="button"
              className="button button--secondary"
              disabled={props.busy || !e.file}
              onClick={() => props.onOpen(contents.path, { entity: e.entity })}
              aria-label={`Open ${e.entity}`}
            >
              Open
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/**
 * After a failed open: read the same file again in a chosen encoding (a UTF-16 file without a
 * BOM, a binary-looking file, a code page the detection did not guess).
 */
function EncodingRetry(props: { path: string; failure: string; busy: boolean; onOpen: (encoding: string) => void }) {
  const suggested = /utf-16le/i.test(props.failure)
    ? 'utf-16le'
    : /windows-1252/i.test(props.failure)
      ? 'windows-1252'
      : 'utf-16le';
  const [encoding, setEncoding] = useState<string>(suggested);
  const name = props.path.split(/[\\/]/).at(-1) ?? props.path;
  return (
    <form
      className="open-retry"
      aria-label="Open again in another encoding"
      onSubmit={(event) => {
        event.preventDefault();
        props.onOpen(encoding);
      }}
    >
      <label>
        Read {name} as
        <select
          className="input"
          value={encoding}
          onChange={(e) => setEncoding(e.target.value)}
          aria-label="Encoding to read it in"
        >
          {ENCODINGS.map((e) => (
            <option key={e.value} value={e.value}>
              {e.label}
            </option>
          ))}
        </select>
      </label>
      <button type="submit" className="button button--primary" disabled={props.busy}>
        Open again
      </button>
    </form>
  );
}

export function OpenPanel(props: {
  client: Client;
  desktop: boolean;
  busy: boolean;
  packageChoice: PackageContents | null;
  /** Why the last open failed (shown by the area above): offers to read the file in another encoding. */
  failure?: string | null;
  /** The folder the file chooser was in last (this session). */
  folder: string | null;
  onFolder: (dir: string) => void;
  onOpen: (path: string, options?: ReadOptions) => void;
  /** A data package folder (holding Manifest.xml) was chosen: list its entities. */
  onOpenPackage: (path: string) => void;
  onCancel?: () => void;
}) {
  const [path, setPath] = useState('');
  const [encoding, setEncoding] = useState('');
  const [lastPath, setLastPath] = useState<string | null>(null);
  const [dragging, setDragging] = useState(false);
  const [dropNote, setDropNote] = useState<string | null>(null);
  /** A folder typed into the path field: the chooser shows it (in the desktop app too). */
  const [typedFolder, setTypedFolder] = useState<string | null>(null);
  /** Every open goes through here: the encoding chosen up front applies, and a failure can be retried. */
  const open = (target: string, options: ReadOptions = {}) => {
    setLastPath(target);
    props.onOpen(target, encoding && options.encoding === undefined ? { ...options, encoding } : options);
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const typed = path.trim();
    if (!typed) return;
    // A folder is opened like in any file dialog: its files are listed to choose from. Anything
    // that is not a readable folder is opened as a file, which says what is wrong with it.
    props.client.call('datasets.browse', { dir: typed }).then(
      (listing) => {
        if (listing.entries.some((e) => e.kind === 'file' && e.name.toLowerCase() === 'manifest.xml')) {
          props.onOpenPackage(listing.dir);
          return;
        }
        setTypedFolder(listing.dir);
        setDropNote(`${listing.dir} is a folder: choose a file in it below.`);
      },
      () => open(typed),
    );
  };
  const pick = () => {
    props.client.call('datasets.pickFile', {}).then(
      ({ path: chosen }) => chosen && open(chosen),
      (error: unknown) => setDropNote(messageOf(error)),
    );
  };
  const onDrop = (event: DragEvent) => {
    event.preventDefault();
    setDragging(false);
    const file = event.dataTransfer.files[0];
    if (!file) return;
    const files = window.dmfwFiles;
    if (files) {
      const dropped = files.pathForFile(file);
      if (dropped) open(dropped);
      return;
    }
    setDropNote(
      `${file.name}: in browser mode the page cannot see where a dropped file lives. Find it in the list below (it is on this computer), or type its full path.`,
    );
  };
  return (
    <section
      className={`open-panel${dragging ? ' open-panel--dragging' : ''}`}
      aria-label="Open a source file"
      onDragOver={(e) => {
        e.preventDefault();
        setDragging(true);
      }}
      onDragLeave={() => setDragging(false)}
      onDrop={onDrop}
    >
      <div className="open-panel__intro">
        <div className="empty-state__icon">
          <Icon name="sources" size={32} />
        </div>
        <div>
          <h2 className="open-panel__title">Open a legacy extract</h2>
          <p className="muted">
            CSV, TSV or TXT (any delimiter and encoding), Excel .xlsx, DMF XML, or an entity of a data package (.zip).
            Rows stay on this computer; big files stream in and the grid shows them page by page.
          </p>
        </div>
        {props.onCancel && (
          <button type="button" className="button button--ghost" onClick={props.onCancel}>
            Back to the grid
          </button>
        )}
      </div>
      <form className="open-panel__path" onSubmit={submit}>
        <label htmlFor="source-path">File path</label>
        <input
          id="source-path"
          className="input"
          value={path}
          onChange={(e) => setPath(e.target.value)}
          placeholder="/home/me/extracts/customers.csv or ~/extracts/customers.csv"
          spellCheck={false}
          autoComplete="off"
        />
        <label className="open-panel__encoding">
          <span className="muted">Encoding</span>
          <select
            className="input"
            value={encoding}
            onChange={(e) => setEncoding(e.target.value)}
            aria-label="Encoding"
          >
            <option value="">Detect</option>
            {ENCODINGS.map((e) => (
              <option key={e.value} value={e.value}>
                {e.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" className="button button--primary" disabled={props.busy || path.trim() === ''}>
          Open
        </button>
        {props.desktop && (
          <button type="button" className="button button--secondary" onClick={pick} disabled={props.busy}>
            Choose file…
          </button>
        )}
      </form>
      {props.failure && lastPath && (
        <EncodingRetry
          key={`${lastPath}\n${props.failure}`}
          path={lastPath}
          failure={props.failure}
          busy={props.busy}
          onOpen={(chosen) => open(lastPath, { encoding: chosen })}
        />
      )}
      <p className="open-panel__drop" aria-live="polite">
        {dropNote ?? (props.desktop ? 'Or drop a file anywhere here.' : 'Or pick it in the folder list.')}
      </p>
      {props.packageChoice && <PackageChoice contents={props.packageChoice} busy={props.busy} onOpen={open} />}
      {(!props.desktop || typedFolder !== null) && (
        <FolderBrowser
          key={typedFolder ?? ''}
          client={props.client}
          start={typedFolder ?? props.folder}
          onOpen={open}
          onFolder={props.onFolder}
          busy={props.busy}
        />
      )}
    </section>
  );
}

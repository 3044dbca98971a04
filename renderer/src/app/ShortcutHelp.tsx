import { AREA_INFO, MOD_LABEL } from './areas';
import { Dialog } from './Dialog';
import { HELP, RUN, SAVE, shortcutLabel } from './shortcuts';

const GROUPS: readonly { title: string; rows: readonly [string, string][] }[] = [
  {
    title: 'Anywhere',
    rows: [
      ...AREA_INFO.map((info): [string, string] => [`${MOD_LABEL}${info.key}`, `Go to ${info.label}`]),
      [shortcutLabel(HELP), 'Show these shortcuts'],
    ],
  },
  {
    title: 'Package wizard',
    rows: [
      [shortcutLabel(SAVE), 'Save the package (.zip)'],
      [shortcutLabel(RUN), 'Run it as an import job'],
      ['Alt+↑ / Alt+↓', 'Move the selected entity to the level above or below'],
      ['Alt+← / Alt+→', 'Move the selected entity to the unit on the left or right'],
      ['Alt+Shift+↑ / Alt+Shift+↓', 'Move it earlier or later in its level'],
    ],
  },
  {
    title: 'Jobs and configuration copy',
    rows: [[shortcutLabel(RUN), 'Run the copy, or re-import the failed rows of the selected job']],
  },
  {
    title: 'Source grid',
    rows: [
      [`${MOD_LABEL}Z / ${MOD_LABEL}Y`, 'Undo / redo'],
      [`${MOD_LABEL}F`, 'Find and replace'],
      [`${MOD_LABEL}S`, 'Save the edited rows into the source file'],
      ['Shift+click / Shift+arrows', 'Select a range of cells'],
      [`${MOD_LABEL}C`, 'Copy the selected cells (tab-separated, for Excel)'],
      [`${MOD_LABEL}V`, 'Paste cells from Excel at the selected cell, or fill the selected range'],
    ],
  },
];

export function ShortcutHelp({ onClose }: { onClose: () => void }) {
  return (
    <Dialog
      title="Keyboard shortcuts"
      onClose={onClose}
      actions={
        <button type="button" className="button button--primary" onClick={onClose}>
          Close
        </button>
      }
    >
      <div className="shortcut-help">
        {GROUPS.map((group) => (
          <section key={group.title} aria-label={group.title}>
            <h3 className="shortcut-help__title">{group.title}</h3>
            <dl className="shortcut-help__list">
              {group.rows.map(([keys, what]) => (
                <div key={what} className="shortcut-help__row">
                  <dt>
                    <kbd>{keys}</kbd>
                  </dt>
                  <dd>{what}</dd>
                </div>
              ))}
            </dl>
          </section>
        ))}
      </div>
    </Dialog>
  );
}

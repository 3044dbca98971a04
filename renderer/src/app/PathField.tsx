import type { ReactNode } from 'react';
import { Field } from './Field';
import { Icon } from './icons';

/**
 * A path to type, or to choose with Browse…: the caller opens its own PathDialog, as what it
 * chooses (a file, a folder, where to save) and what it does with the choice differ.
 */
export function PathField(props: {
  label: string;
  value: string;
  onChange: (path: string) => void;
  onBrowse: () => void;
  placeholder?: string;
  /** Under the field: what the path will mean. */
  hint?: ReactNode;
}) {
  return (
    <Field label={props.label}>
      {({ id }) => (
        <>
          <div className="input-row">
            <input
              id={id}
              className="input input--mono"
              value={props.value}
              onChange={(e) => props.onChange(e.target.value)}
              placeholder={props.placeholder}
              spellCheck={false}
            />
            <button type="button" className="button button--secondary" onClick={props.onBrowse}>
              <Icon name="folder" size={16} />
              Browse…
            </button>
          </div>
          {props.hint}
        </>
      )}
    </Field>
  );
}

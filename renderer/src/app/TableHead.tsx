/** A column heading: a label, or one that right-aligns over numbers, or one only screen readers hear. */
export type Column = string | { readonly label: string; readonly numeric?: boolean; readonly hidden?: boolean };

/** A column of numbers (its heading right-aligned like its cells). */
export const numeric = (label: string): Column => ({ label, numeric: true });

/** A column whose heading only screen readers hear (a bar, an action button). */
export const unseen = (label: string): Column => ({ label, hidden: true });

/** The heading row of a data table; `false` leaves out a column the table does not show. */
export function TableHead({ columns }: { columns: readonly (Column | false)[] }) {
  return (
    <thead>
      <tr>
        {columns.map((column) => {
          if (column === false) return null;
          const {
            label,
            numeric: num = false,
            hidden = false,
          } = typeof column === 'string' ? { label: column } : column;
          return (
            <th key={label} scope="col" className={num ? 'num' : undefined}>
              {hidden ? <span className="visually-hidden">{label}</span> : label}
            </th>
          );
        })}
      </tr>
    </thead>
  );
}

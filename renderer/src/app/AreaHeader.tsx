import type { ReactNode } from 'react';

export function AreaHeader(props: { title: string; description: string; actions?: ReactNode }) {
  return (
    <header className="area-header">
      <div>
        <h1 className="area-header__title">{props.title}</h1>
        <p className="area-header__description">{props.description}</p>
      </div>
      {props.actions && <div className="area-header__actions">{props.actions}</div>}
    </header>
  );
}

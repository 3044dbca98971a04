import type { ReactNode } from 'react';
import type { IconName } from './icons';
import { Icon } from './icons';

/** What an area shows before there is anything in it: what it is for and what to do next. */
export function EmptyState(props: { icon: IconName; title: string; children: ReactNode; steps?: readonly string[] }) {
  return (
    <section className="empty-state" aria-label={props.title}>
      <div className="empty-state__icon">
        <Icon name={props.icon} size={32} />
      </div>
      <h2 className="empty-state__title">{props.title}</h2>
      <div className="empty-state__body">{props.children}</div>
      {props.steps && (
        <ol className="empty-state__steps">
          {props.steps.map((step) => (
            <li key={step}>{step}</li>
          ))}
        </ol>
      )}
    </section>
  );
}

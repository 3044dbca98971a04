import { useStore } from 'zustand';
import type { ShellStore } from '../state/shellStore';
import { AREA_INFO, MOD_ARIA, MOD_LABEL } from './areas';
import { Icon } from './icons';

export function NavRail({ store }: { store: ShellStore }) {
  const area = useStore(store, (s) => s.area);
  const goTo = useStore(store, (s) => s.goTo);
  return (
    <nav className="nav-rail" aria-label="Workbench areas">
      <div className="nav-rail__brand" aria-hidden="true">
        <span className="nav-rail__logo">D</span>
      </div>
      <ul className="nav-rail__list">
        {AREA_INFO.map((info) => (
          <li key={info.id}>
            <button
              type="button"
              className="nav-rail__item"
              aria-current={area === info.id ? 'page' : undefined}
              aria-keyshortcuts={`${MOD_ARIA}+${info.key}`}
              title={`${info.label} (${MOD_LABEL}${info.key})`}
              onClick={() => goTo(info.id)}
            >
              <Icon name={info.icon} />
              <span className="nav-rail__label">{info.label}</span>
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}

import { useStore } from 'zustand';
import type { Theme } from '../../../shared/api/domains/app';
import type { ShellStore } from '../state/shellStore';
import { AREA_INFO, MOD_ARIA, MOD_LABEL } from './areas';
import { Icon } from './icons';
import { HELP, shortcutAria, shortcutLabel } from './shortcuts';

const THEME_NEXT: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };
const THEME_LABEL: Record<Theme, string> = { system: 'System', light: 'Light', dark: 'Dark' };
const THEME_ICON = { system: 'monitor', light: 'sun', dark: 'moon' } as const;

export function NavRail({ store, onHelp }: { store: ShellStore; onHelp: () => void }) {
  const area = useStore(store, (s) => s.area);
  const goTo = useStore(store, (s) => s.goTo);
  const theme = useStore(store, (s) => s.preferences?.theme ?? 'system');
  const setTheme = useStore(store, (s) => s.setTheme);
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
      <div className="nav-rail__footer">
        <button
          type="button"
          className="nav-rail__tool"
          aria-label={`Theme: ${THEME_LABEL[theme]}. Switch to ${THEME_LABEL[THEME_NEXT[theme]]}`}
          title={`Theme: ${THEME_LABEL[theme]}`}
          onClick={() => void setTheme(THEME_NEXT[theme])}
        >
          <Icon name={THEME_ICON[theme]} />
        </button>
        <button
          type="button"
          className="nav-rail__tool"
          aria-label="Keyboard shortcuts"
          aria-keyshortcuts={shortcutAria(HELP)}
          title={`Keyboard shortcuts (${shortcutLabel(HELP)})`}
          onClick={onHelp}
        >
          <Icon name="keyboard" />
        </button>
      </div>
    </nav>
  );
}

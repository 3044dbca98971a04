import type { Area } from '../state/shellStore';
import type { IconName } from './icons';

export interface AreaInfo {
  readonly id: Area;
  readonly label: string;
  readonly icon: IconName;
  /** Ctrl (Cmd on macOS) + this key opens the area. */
  readonly key: string;
}

export const AREA_INFO: readonly AreaInfo[] = [
  { id: 'environments', label: 'Environments', icon: 'environments', key: '1' },
  { id: 'sources', label: 'Sources', icon: 'sources', key: '2' },
  { id: 'package', label: 'Package', icon: 'package', key: '3' },
  { id: 'jobs', label: 'Jobs', icon: 'jobs', key: '4' },
  { id: 'copy', label: 'Config copy', icon: 'copy', key: '5' },
  { id: 'export', label: 'Export', icon: 'export', key: '6' },
  { id: 'cockpit', label: 'Cockpit', icon: 'cockpit', key: '7' },
];

export const isMac = typeof navigator !== 'undefined' && /Mac/i.test(navigator.platform);
export const MOD_LABEL = isMac ? '⌘' : 'Ctrl+';
export const MOD_ARIA = isMac ? 'Meta' : 'Control';

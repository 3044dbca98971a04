import { createContext, useContext } from 'react';
import type { Client } from '../../../shared/api/client';
import type { JobsStore } from '../features/jobs/jobsStore';
import type { SourcesStore } from '../features/sources/sourcesStore';
import type { ShellStore } from '../state/shellStore';
import type { ToastStore } from './toasts';

/** What every screen reaches through context: the typed client and the app-wide stores. */
export interface Workbench {
  readonly client: Client;
  readonly shell: ShellStore;
  readonly toasts: ToastStore;
  readonly jobs: JobsStore;
  /** The source grid's open datasets (the Sources area). */
  readonly sources: SourcesStore;
}

export const WorkbenchContext = createContext<Workbench | null>(null);

export function useWorkbench(): Workbench {
  const workbench = useContext(WorkbenchContext);
  if (!workbench) throw new Error('useWorkbench is used outside <WorkbenchContext.Provider>.');
  return workbench;
}

const featureStores = new WeakMap<Workbench, Map<unknown, unknown>>();

/**
 * A feature's store, made once per workbench by `factory` (a module-level function) and kept
 * while the app runs, so an area keeps its state when the consultant switches away and back.
 */
export function useFeatureStore<T>(factory: (workbench: Workbench) => T): T {
  const workbench = useWorkbench();
  let stores = featureStores.get(workbench);
  if (!stores) {
    stores = new Map();
    featureStores.set(workbench, stores);
  }
  if (!stores.has(factory)) stores.set(factory, factory(workbench));
  return stores.get(factory) as T;
}

/** A stable empty list for selectors: a new [] on every read would make React render forever. */
export const NONE: readonly never[] = Object.freeze([]);

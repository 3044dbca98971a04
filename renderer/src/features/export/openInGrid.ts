import type { Workbench } from '../../app/workbench';

/**
 * Shows an exported package in the Sources area: one entity's data file opened in the grid, or
 * (no entity) the package's entities to choose from. The package is read in place, never unpacked.
 */
export function openInGrid(workbench: Pick<Workbench, 'sources' | 'shell'>, path: string, entity?: string): void {
  const sources = workbench.sources.getState();
  workbench.shell.getState().goTo('sources');
  if (entity) {
    void sources.open(path, { entity });
  } else {
    sources.setOpening(true);
    void sources.openPackage(path);
  }
}

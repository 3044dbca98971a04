import type { ProjectSummary } from '../../../shared/api/domains/projects';
import type { ProjectService } from '../../services/projects/projectService';
import type { PreferencesService } from '../../services/settings/preferences';
import type { DomainHandlers } from '../dispatcher';

export function projectHandlers(projects: ProjectService, preferences: PreferencesService): DomainHandlers<'projects'> {
  /** Projects the consultant opens or creates go to the top of the recent list. */
  const recent = async (summary: ProjectSummary): Promise<ProjectSummary> => {
    await preferences.touchProject(summary.dir, summary.document.name);
    return summary;
  };
  return {
    'projects.create': async ({ dir, name }) => recent(await projects.create(dir, name)),
    'projects.open': async ({ dir }) => recent(await projects.open(dir)),
    'projects.update': async ({ dir, ...change }) => projects.update(dir, change),
    'projects.appendEdits': async ({ dir, edits }) => projects.appendEdits(dir, edits),
    'projects.edits': async ({ dir, afterSeq, limit }) => projects.edits(dir, afterSeq, limit),
    'projects.saveRecipe': async ({ dir, recipe }) => projects.saveRecipe(dir, recipe),
    'projects.deleteRecipe': async ({ dir, id }) => projects.deleteRecipe(dir, id),
    'projects.recipes': async ({ dir }) => projects.recipes(dir),
    'projects.runs': async ({ dir }) => projects.runs(dir),
  };
}

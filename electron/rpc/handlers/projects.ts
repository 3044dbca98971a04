import type { ProjectService } from '../../services/projects/projectService';
import type { DomainHandlers } from '../dispatcher';

export function projectHandlers(projects: ProjectService): DomainHandlers<'projects'> {
  return {
    'projects.create': async ({ dir, name }) => projects.create(dir, name),
    'projects.open': async ({ dir }) => projects.open(dir),
    'projects.update': async ({ dir, ...change }) => projects.update(dir, change),
    'projects.appendEdits': async ({ dir, edits }) => projects.appendEdits(dir, edits),
    'projects.edits': async ({ dir, afterSeq, limit }) => projects.edits(dir, afterSeq, limit),
    'projects.saveRecipe': async ({ dir, recipe }) => projects.saveRecipe(dir, recipe),
    'projects.deleteRecipe': async ({ dir, id }) => projects.deleteRecipe(dir, id),
    'projects.recipes': async ({ dir }) => projects.recipes(dir),
    'projects.runs': async ({ dir }) => projects.runs(dir),
  };
}

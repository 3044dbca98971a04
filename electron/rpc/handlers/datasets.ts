import type { DatasetService } from '../../services/datasets/datasetService';
import type { DomainHandlers } from '../dispatcher';

export function datasetHandlers(datasets: DatasetService): DomainHandlers<'datasets'> {
  return {
    'datasets.open': async ({ path, options, project }) => datasets.open(path, options, project),
    'datasets.packageEntities': async ({ path }) => datasets.packageEntities(path),
    'datasets.reopen': async ({ id, options }) => datasets.reopen(id, options),
    'datasets.list': async () => datasets.list(),
    'datasets.get': async ({ id }) => datasets.get(id),
    'datasets.close': async ({ id, discard }) => ({ closed: await datasets.close(id, discard) }),
    'datasets.rows': async ({ id, view, start, count }) => datasets.page(id, view, start, count),
    'datasets.position': async ({ id, view, row }) => datasets.position(id, view, row),
    'datasets.edit': async ({ id, edits }) => datasets.edit(id, edits),
    'datasets.paste': async ({ id, view, position, columns, text, fill }) =>
      datasets.paste(id, view, position, columns, text, fill),
    'datasets.copy': async ({ id, view, position, rows, columns }) => datasets.copy(id, view, position, rows, columns),
    'datasets.refreshView': async ({ id }) => ({ refreshed: await datasets.refreshView(id) }),
    'datasets.undo': async ({ id }) => datasets.undo(id),
    'datasets.redo': async ({ id }) => datasets.redo(id),
    'datasets.find': async ({ id, view, query, columns, from, backwards, count }) =>
      datasets.find(id, { view, query, columns, from, backwards, count }),
    'datasets.replace': async ({ id, view, query, replacement, columns }) =>
      datasets.bulk(id, view, { op: 'replace', query, replacement, columns }),
    'datasets.fillDown': async ({ id, view, column }) => datasets.bulk(id, view, { op: 'fillDown', column }),
    'datasets.setValue': async ({ id, view, column, value }) =>
      datasets.bulk(id, view, { op: 'setValue', column, value }),
    'datasets.transform': async ({ id, view, columns, transform }) =>
      datasets.bulk(id, view, { op: 'transform', columns, transform }),
    'datasets.facet': async ({ id, view, column, limit }) => datasets.facet(id, view, column, limit),
    'datasets.clusters': async ({ id, view, column, method, ngramSize, radius, limit }) =>
      datasets.clusters(id, view, column, { method, ngramSize, radius, limit }),
    'datasets.recipe': async ({ id }) => datasets.recipe(id),
    'datasets.applyRecipe': async ({ id, steps, recipeId, fromDataset, project }) =>
      datasets.applyRecipe(id, {
        ...(steps ? { steps } : {}),
        ...(recipeId ? { recipeId } : {}),
        ...(fromDataset ? { fromDataset } : {}),
        ...(project ? { project } : {}),
      }),
    'datasets.saveRecipe': async ({ id, name, project }) => datasets.saveRecipe(id, name, project),
    'datasets.recipes': async ({ project }) => datasets.savedRecipes(project),
    'datasets.deleteRecipe': async ({ recipeId, project }) => datasets.deleteRecipe(recipeId, project),
    'datasets.entities': async ({ id }) => datasets.entities(id),
    'datasets.validate': async ({ id, entity }) => datasets.validate(id, entity),
    'datasets.issues': async ({ id }) => datasets.issues(id),
    'datasets.attachColumn': async ({ id, name, values }) => datasets.attachColumn(id, name, values),
    'datasets.save': async ({ id }) => datasets.save(id),
    'datasets.export': async ({ id, path, kind, overwrite, exact }) =>
      datasets.export(id, path, kind, overwrite, exact),
    'datasets.browse': async ({ dir }) => datasets.browse(dir),
    'datasets.pickFile': async () => datasets.pickFile(),
  };
}

/**
 * The recipe: every bulk fix in effect on this file, in order, each replayable. Saved recipes are
 * applied to next cycle's fresh extract; their steps find columns by name.
 */
import { useState } from 'react';
import type { FormEvent } from 'react';
import { useStore } from 'zustand';
import type { DatasetInfo, SavedRecipe } from '../../../../shared/api/domains/datasets';
import type { SourcesStore } from './sourcesStore';

const n = (value: number) => value.toLocaleString('en-US');

export function RecipePanel(props: { store: SourcesStore; info: DatasetInfo }) {
  const { store, info } = props;
  const recipe = useStore(store, (s) => s.recipe);
  const saved = useStore(store, (s) => s.savedRecipes);
  const busy = useStore(store, (s) => s.busy);
  const [name, setName] = useState(() => `${info.name.replace(/\.[^.]+$/, '')} clean-up`);
  // A recipe made for another entity finds other columns: offer the ones made for this file's
  // entity (or for none), keep the others one click away.
  const fits = (r: SavedRecipe) => r.entity === undefined || info.entity === null || r.entity === info.entity;
  const offered = saved.filter(fits);
  const others = saved.filter((r) => !fits(r));
  const save = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) void store.getState().saveRecipe(name.trim());
  };
  return (
    <div className="recipe-panel">
      <section aria-label="Steps of this file">
        <h3 className="side-panel__heading">Steps on this file</h3>
        {recipe.length === 0 ? (
          <p className="muted">
            Bulk fixes land here as steps: find &amp; replace all, fill down, set value, trim and case, changing a value
            in Column values. Single cell edits stay with this file only.
          </p>
        ) : (
          <ol className="recipe-steps" aria-label="Recipe steps">
            {recipe.map((step, i) => (
              <li key={i} className="recipe-step">
                <span className="recipe-step__text">{step.description}</span>
                <span className="recipe-step__cells">
                  {n(step.cells)} {step.cells === 1 ? 'cell' : 'cells'}
                </span>
              </li>
            ))}
          </ol>
        )}
        {recipe.length > 0 && (
          <form className="recipe-panel__save" onSubmit={save} aria-label="Save the recipe">
            <input className="input" value={name} onChange={(e) => setName(e.target.value)} aria-label="Recipe name" />
            <button type="submit" className="button button--primary" disabled={busy || name.trim() === ''}>
              Save recipe
            </button>
          </form>
        )}
      </section>
      <section aria-label="Saved recipes">
        <h3 className="side-panel__heading">Saved recipes</h3>
        {saved.length === 0 ? (
          <p className="muted">
            Save this file&apos;s steps, then apply them to next cycle&apos;s extract in one click.
          </p>
        ) : (
          <>
            {offered.length > 0 ? (
              <SavedRecipes store={store} info={info} recipes={offered} />
            ) : (
              <p className="muted">No saved recipe was made for {info.entity}.</p>
            )}
            {others.length > 0 && (
              <details className="saved-recipes__others">
                <summary>
                  {others.length} {others.length === 1 ? 'recipe' : 'recipes'} made for other entities
                </summary>
                <SavedRecipes store={store} info={info} recipes={others} />
              </details>
            )}
          </>
        )}
      </section>
    </div>
  );
}

function SavedRecipes(props: { store: SourcesStore; info: DatasetInfo; recipes: readonly SavedRecipe[] }) {
  const { store, info } = props;
  const busy = useStore(store, (s) => s.busy);
  return (
    <ul className="saved-recipes">
      {props.recipes.map((r) => (
        <li key={r.id} className="saved-recipe">
          <div>
            <div className="saved-recipe__name">{r.name}</div>
            <div className="muted">
              {r.steps.length} {r.steps.length === 1 ? 'step' : 'steps'}
              {r.entity ? ` · ${r.entity}` : ''}
            </div>
          </div>
          <button
            type="button"
            className="button button--secondary"
            disabled={busy || info.state === 'loading'}
            onClick={() => void store.getState().applyRecipe(r.id)}
            aria-label={`Apply ${r.name} to ${info.name}`}
          >
            Apply
          </button>
          <button
            type="button"
            className="button button--icon"
            onClick={() => void store.getState().deleteRecipe(r.id)}
            aria-label={`Delete the recipe ${r.name}`}
          >
            ✕
          </button>
        </li>
      ))}
    </ul>
  );
}

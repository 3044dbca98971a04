import { createStore } from 'zustand/vanilla';
import type { Client } from '../../../../shared/api/client';
import type { CatalogListing } from '../../../../shared/api/domains/catalog';
import type { BuiltPackageInfo, PackagePlan, ReadinessReport } from '../../../../shared/api/domains/packages';
import { DEFAULT_PROCESSING } from '../../../../shared/api/domains/packages';
import type { ProjectDocument, ProjectEntity } from '../../../../shared/api/domains/projects';
import { messageOf } from '../../app/errors';

export const WIZARD_STEPS = [
  { id: 'project', label: 'Project' },
  { id: 'entities', label: 'Entities' },
  { id: 'mapping', label: 'Mapping' },
  { id: 'sequence', label: 'Sequence' },
  { id: 'options', label: 'Options' },
  { id: 'finish', label: 'Save or run' },
] as const;
export type WizardStep = (typeof WIZARD_STEPS)[number]['id'];

export interface WizardState {
  readonly step: WizardStep;
  /** The workbench project folder the wizard works on. */
  readonly dir: string | null;
  readonly plan: PackagePlan | null;
  /** Where entities are chosen from: null = the built-in catalog, else an environment id. */
  readonly catalogSource: string | null;
  readonly catalog: CatalogListing | null;
  readonly catalogLoading: boolean;
  readonly busy: boolean;
  readonly problem: string | null;
  /** The last package saved offline. */
  readonly saved: BuiltPackageInfo | null;
  /** The readiness check of the sources (packages.check), once it answered for the project as shown. */
  readonly readiness: ReadinessReport | null;
  readonly checking: boolean;
  /** Why the check could not run. */
  readonly checkProblem: string | null;
  goTo(step: WizardStep): void;
  open(dir: string): Promise<boolean>;
  create(dir: string, name: string): Promise<boolean>;
  close(): void;
  refresh(): Promise<void>;
  loadCatalog(source: string | null): Promise<void>;
  /** Changes the project's entities (shown at once, saved to dmfw-project.json), then plans again. */
  changeEntities(change: (entities: ProjectEntity[]) => ProjectEntity[]): Promise<void>;
  changeEntity(label: string, change: (entity: ProjectEntity) => ProjectEntity): Promise<void>;
  changeBinding(binding: ProjectDocument['binding']): Promise<void>;
  changeOptions(options: Partial<ProjectDocument['options']>): Promise<void>;
  /**
   * Writes the name-matched mapping of entities that have none into the project, so that the
   * package is built with exactly the mapping the wizard showed.
   */
  freezeMappings(): Promise<void>;
  setSaved(saved: BuiltPackageInfo | null): void;
  /** Validates every enabled entity's rows as the package would carry them (Save or run). */
  check(): Promise<void>;
  dismissProblem(): void;
}

export type WizardStore = ReturnType<typeof createWizardStore>;

/**
 * The package wizard's view state. The project folder is the truth: every change is written to
 * it through projects.update, then packages.plan says how the package would look.
 */
export function createWizardStore(client: Client) {
  return createStore<WizardState>()((set, get) => {
    const attempt = async (work: () => Promise<void>): Promise<boolean> => {
      set({ busy: true, problem: null });
      try {
        await work();
        return true;
      } catch (error) {
        set({ problem: messageOf(error) });
        return false;
      } finally {
        set({ busy: false });
      }
    };
    /** Changes shown on screen whose projects.update has not answered yet. */
    let pending = 0;
    const plan = async (dir: string) => {
      const next = await client.call('packages.plan', { dir, environmentId: get().catalogSource });
      // A plan made before the changes still on their way: it must not take them off the screen
      // (nor be the base of the next change, which would drop them).
      const shown = get().plan;
      set({ plan: pending > 0 && shown ? withDocument(next, shown.document) : next, dir: next.dir });
    };
    /**
     * Changes are applied one at a time, each to the project as the previous one left it: two quick
     * changes (two mapping choices) must not both start from the same old document. Each change is
     * computed at once from the document as the screen shows it (every earlier change included)
     * and shown at once (a ticked box stays ticked), then written; packages.plan then says how the
     * package looks. A change the services refuse shows the problem, and the project as it is on
     * disk again.
     */
    let queue: Promise<unknown> = Promise.resolve();
    let checks = 0;
    const update = (params: Partial<Pick<ProjectDocument, 'binding' | 'entities' | 'options'>>): Promise<void> => {
      const dir = get().dir;
      if (!dir) return Promise.resolve();
      const shown = get().plan;
      if (shown) set({ plan: withDocument(shown, { ...shown.document, ...params }) });
      pending++;
      const next = queue.then(async () => {
        const saved = await attempt(async () => {
          try {
            await client.call('projects.update', { dir, ...params });
          } finally {
            pending--;
          }
          await plan(dir);
        });
        if (!saved) await plan(dir).catch(() => undefined);
      });
      queue = next.catch(() => undefined);
      return next;
    };
    return {
      step: 'project',
      dir: null,
      plan: null,
      catalogSource: null,
      catalog: null,
      catalogLoading: false,
      busy: false,
      problem: null,
      saved: null,
      readiness: null,
      checking: false,
      checkProblem: null,
      goTo: (step) => set({ step }),
      open: (dir) =>
        attempt(async () => {
          await client.call('projects.open', { dir });
          await plan(dir);
          set({ step: 'entities', saved: null });
        }),
      create: (dir, name) =>
        attempt(async () => {
          await client.call('projects.create', { dir, name });
          await plan(dir);
          set({ step: 'entities', saved: null });
        }),
      close: () => set({ dir: null, plan: null, step: 'project', saved: null, problem: null, readiness: null }),
      refresh: async () => {
        const dir = get().dir;
        if (dir) await attempt(() => plan(dir));
      },
      async loadCatalog(source) {
        set({ catalogSource: source, catalogLoading: true, problem: null });
        try {
          const catalog = await client.call('catalog.entities', { environmentId: source });
          if (get().catalogSource === source) set({ catalog });
          const dir = get().dir;
          if (dir) await plan(dir);
        } catch (error) {
          set({ problem: messageOf(error), catalogSource: null });
        } finally {
          set({ catalogLoading: false });
        }
      },
      changeEntities: (change) =>
        update({ entities: change((get().plan?.document.entities ?? []).map((e) => ({ ...e }))) }),
      changeEntity: async (label, change) => {
        await get().changeEntities((entities) => entities.map((e) => (e.label === label ? change(e) : e)));
      },
      changeBinding: (binding) => update({ binding }),
      changeOptions: async (options) => {
        const current = get().plan?.document.options;
        if (current) await update({ options: { ...current, ...options } });
      },
      async freezeMappings() {
        const plan = get().plan;
        if (!plan) return;
        const planned = new Map(plan.entities.map((e) => [e.label, e]));
        const missing = plan.document.entities.filter(
          (e) => !e.mapping && (planned.get(e.label)?.mapping.length ?? 0) > 0,
        );
        if (missing.length === 0) return;
        await get().changeEntities((entities) =>
          entities.map((e) =>
            e.mapping
              ? e
              : {
                  ...e,
                  mapping: (planned.get(e.label)?.mapping ?? []).map((m) => ({
                    sourceColumn: m.sourceColumn,
                    stagingField: m.stagingField,
                  })),
                },
          ),
        );
      },
      setSaved: (saved) => set({ saved }),
      async check() {
        const dir = get().dir;
        if (!dir) return;
        // Only the newest check may answer: the sources may have changed while an older one ran.
        const generation = ++checks;
        set({ checking: true, checkProblem: null, readiness: null });
        try {
          const readiness = await client.call('packages.check', { dir, environmentId: get().catalogSource });
          if (generation === checks) set({ readiness, checking: false });
        } catch (error) {
          if (generation === checks) set({ checkProblem: messageOf(error), checking: false });
        }
      },
      dismissProblem: () => set({ problem: null }),
    };
  });
}

/**
 * The plan with a changed document, as far as the screen can tell before packages.plan answers:
 * the options each entity shows come straight from its spec. Mapping, columns and the sequence
 * wait for the answer.
 */
function withDocument(plan: PackagePlan, document: ProjectDocument): PackagePlan {
  const specs = new Map(document.entities.map((e) => [e.label, e]));
  return {
    ...plan,
    document,
    entities: plan.entities.flatMap((planned) => {
      const spec = specs.get(planned.label);
      if (!spec) return [];
      return [
        {
          ...planned,
          enabled: spec.enabled,
          refreshType: spec.refreshType ?? 'FullPush',
          changeTracking: spec.changeTracking ?? 'none',
          processing: { ...DEFAULT_PROCESSING, ...spec.processing },
        },
      ];
    }),
  };
}

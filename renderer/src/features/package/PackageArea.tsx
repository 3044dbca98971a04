import { useStore } from 'zustand';
import type { PackagePlan } from '../../../../shared/api/domains/packages';
import { AreaHeader } from '../../app/AreaHeader';
import { ErrorAlert } from '../../app/ErrorAlert';
import { Icon } from '../../app/icons';
import { useFeatureStore } from '../../app/workbench';
import type { Workbench } from '../../app/workbench';
import { EntitiesStep } from './EntitiesStep';
import { FinishStep } from './FinishStep';
import { MappingStep } from './MappingStep';
import { OptionsStep } from './OptionsStep';
import { ProjectStep } from './ProjectStep';
import { SequenceStep } from './SequenceStep';
import { WIZARD_STEPS, createWizardStore } from './wizardStore';
import type { WizardStep, WizardStore } from './wizardStore';

export const wizardStoreOf = (workbench: Workbench): WizardStore => createWizardStore(workbench.client);

/** What each step still needs before the package can be built (shown on the stepper). */
function attentionOf(plan: PackagePlan | null, step: WizardStep): number {
  if (!plan) return 0;
  const enabled = plan.entities.filter((e) => e.enabled);
  switch (step) {
    case 'entities':
      return enabled.filter((e) => e.sourceProblem !== null).length;
    case 'mapping':
      return enabled.reduce((n, e) => n + e.missingMandatory.length, 0);
    case 'sequence':
      return plan.sequence.cycles.length;
    default:
      return 0;
  }
}

export function PackageArea() {
  const store = useFeatureStore(wizardStoreOf);
  const step = useStore(store, (s) => s.step);
  const plan = useStore(store, (s) => s.plan);
  const problem = useStore(store, (s) => s.problem);
  const busy = useStore(store, (s) => s.busy);
  const hasEntities = (plan?.document.entities.length ?? 0) > 0;
  const index = WIZARD_STEPS.findIndex((s) => s.id === step);
  const reachable = (id: WizardStep) => id === 'project' || (plan !== null && (id === 'entities' || hasEntities));
  const next = WIZARD_STEPS[index + 1];
  const previous = WIZARD_STEPS[index - 1];

  return (
    <>
      <AreaHeader
        title="Package"
        description="Choose entities, map columns, sequence execution units and levels, and build a data package F&O accepts."
        actions={
          plan && (
            <span className="wizard-project" aria-label="Project">
              <Icon name="folder" size={16} />
              <strong>{plan.document.name}</strong>
              <span className="muted mono">{plan.dir}</span>
            </span>
          )
        }
      />
      <nav className="wizard-steps" aria-label="Package wizard steps">
        <ol>
          {WIZARD_STEPS.map((s, i) => {
            const attention = attentionOf(plan, s.id);
            return (
              <li key={s.id}>
                <button
                  type="button"
                  className={`wizard-steps__item${s.id === step ? ' is-current' : ''}${i < index ? ' is-done' : ''}`}
                  aria-current={s.id === step ? 'step' : undefined}
                  disabled={!reachable(s.id)}
                  onClick={() => store.getState().goTo(s.id)}
                >
                  <span className="wizard-steps__number" aria-hidden="true">
                    {i < index ? <Icon name="check" size={13} /> : i + 1}
                  </span>
                  {s.label}
                  {attention > 0 && (
                    <span className="badge badge--warn" aria-label={`${attention} to look at`}>
                      {attention}
                    </span>
                  )}
                </button>
              </li>
            );
          })}
        </ol>
      </nav>
      <ErrorAlert
        problem={problem}
        className="wizard-problem"
        dismiss={{ label: 'Dismiss the problem', onDismiss: () => store.getState().dismissProblem() }}
      />
      <div className="wizard-body" aria-busy={busy}>
        {step === 'project' && <ProjectStep store={store} />}
        {step === 'entities' && plan && <EntitiesStep store={store} plan={plan} />}
        {step === 'mapping' && plan && <MappingStep store={store} plan={plan} />}
        {step === 'sequence' && plan && <SequenceStep store={store} plan={plan} />}
        {step === 'options' && plan && <OptionsStep store={store} plan={plan} />}
        {step === 'finish' && plan && <FinishStep store={store} plan={plan} />}
      </div>
      {plan && step !== 'project' && (
        <footer className="wizard-footer">
          {previous && (
            <button
              type="button"
              className="button button--secondary"
              onClick={() => store.getState().goTo(previous.id)}
            >
              <Icon name="chevronLeft" size={16} />
              {previous.label}
            </button>
          )}
          <span className="wizard-footer__spacer" />
          {next && (
            <button
              type="button"
              className="button button--primary"
              disabled={!reachable(next.id)}
              onClick={() => store.getState().goTo(next.id)}
            >
              Next: {next.label}
              <Icon name="chevronRight" size={16} />
            </button>
          )}
        </footer>
      )}
    </>
  );
}

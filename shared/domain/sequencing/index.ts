/** Auto-sequencing's public API. See ARCHITECTURE.md "Entity catalog, validation, sequencing". */
export { planSequence } from './plan';
export type {
  FixedPlacement,
  PlanDependency,
  Placement,
  SequenceCycle,
  SequenceInput,
  SequenceOptions,
  SequencePlan,
  SequenceUnit,
} from './plan';
export { formatEntitySequence, getEntitySequence, parseEntitySequence } from './entitySequence';
export type { EntitySequenceTuple } from './entitySequence';

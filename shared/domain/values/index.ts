/** Typed cell values as F&O data files write them. See ARCHITECTURE.md "Entity catalog, validation, sequencing". */
export {
  MAX_YEAR,
  MIN_YEAR,
  daysInMonth,
  parseDateTime,
  parseGuid,
  parseReal,
  parseTimeOfDay,
  wholeNumberProblem,
} from './lexical';
export type { DateOrder, DateTimeParts } from './lexical';

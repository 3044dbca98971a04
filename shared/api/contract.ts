/**
 * The one typed contract between the renderer (or the CLI, or a test) and the services.
 * Each domain declares its methods and events in `domains/<domain>.ts`; this file joins them.
 * Method names are 'domain.action'. Adding a method here without a handler is a compile error
 * in electron/rpc/handlers.
 */
import type { z } from 'zod';
import type { EventDef, MethodDef } from './define';
import { appEvents, appMethods } from './domains/app';
import { authEvents, authMethods } from './domains/auth';
import { catalogEvents, catalogMethods } from './domains/catalog';
import { cockpitMethods } from './domains/cockpit';
import { packageMethods } from './domains/packages';
import { datasetEvents, datasetMethods } from './domains/datasets';
import { environmentEvents, environmentMethods } from './domains/environments';
import { jobEvents, jobMethods } from './domains/jobs';
import { projectEvents, projectMethods } from './domains/projects';
import { reconciliationEvents, reconciliationMethods } from './domains/reconciliation';
import { reportMethods } from './domains/reports';
import { valueMapEvents, valueMapMethods } from './domains/valueMaps';
import type { EventNameLiteral, MethodName } from './names';
import { EVENT_NAMES, METHOD_NAMES } from './names';

export { isEventName, isMethod } from './names';

export const contract = {
  ...appMethods,
  ...environmentMethods,
  ...authMethods,
  ...catalogMethods,
  ...packageMethods,
  ...projectMethods,
  ...jobMethods,
  ...datasetMethods,
  ...valueMapMethods,
  ...reconciliationMethods,
  ...reportMethods,
  ...cockpitMethods,
} as const satisfies Record<string, MethodDef>;

export const events = {
  ...appEvents,
  ...environmentEvents,
  ...authEvents,
  ...catalogEvents,
  ...projectEvents,
  ...jobEvents,
  ...datasetEvents,
  ...valueMapEvents,
  ...reconciliationEvents,
} as const satisfies Record<string, EventDef>;

export type Contract = typeof contract;
export type Method = keyof Contract;
export type EventName = keyof typeof events;

/** Params as a caller writes them (before defaults are applied). */
export type ParamsOf<M extends Method> = z.input<Contract[M]['params']>;
/** Params as a handler receives them (validated, defaults applied). */
export type ValidParamsOf<M extends Method> = z.output<Contract[M]['params']>;
export type ResultOf<M extends Method> = Contract[M] extends MethodDef<z.ZodType, infer R> ? R : never;
export type PayloadOf<E extends EventName> = (typeof events)[E] extends EventDef<infer T> ? T : never;

/** Runtime allow-lists: the preload, the bridge and the dispatcher refuse anything else. */
export const METHODS: readonly Method[] = METHOD_NAMES;
export const EVENTS: readonly EventName[] = EVENT_NAMES;

// Compile-time proof that names.ts lists exactly the contract's methods and events.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const methodNamesMatch: Same<MethodName, Method> = true;
const eventNamesMatch: Same<EventNameLiteral, EventName> = true;
void methodNamesMatch;
void eventNamesMatch;

/** How services publish events (the EventHub in electron/rpc implements it). */
export type Publish = <E extends EventName>(event: E, payload: PayloadOf<E>) => void;

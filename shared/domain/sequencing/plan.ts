/**
 * Auto-sequencing: execution unit, level and sequence for the entities of a data package, derived
 * from the catalog's relations, with a sentence per placement saying why.
 *
 * DMF semantics (dmf-reference.md §4.1): execution units run in parallel; inside a unit a level
 * finishes before the next starts; entities on one level run in parallel, ordered by sequence.
 * So an entity must sit on a higher level than every entity it references in its own unit, and
 * entities that share no references can go to separate units.
 */
import type { CatalogIndex } from '../catalog/lookup';
import type { CatalogEntity } from '../catalog/types';

export interface FixedPlacement {
  readonly executionUnit?: number;
  readonly level?: number;
  readonly sequence?: number;
  /** `override`: the user set it; `manifest`: kept from an existing manifest. Both win over auto. */
  readonly origin: 'override' | 'manifest';
}

export interface SequenceInput {
  /** Label, target entity, public entity or collection name. */
  readonly entity: string;
  readonly fixed?: FixedPlacement;
}

export interface SequenceOptions {
  /** Level numbers: step, 2×step, …; 1 gives F&O's default 1.1.1 numbering, 10 the template style 10/20/30. */
  readonly levelStep?: number;
  readonly sequenceStep?: number;
  /** `components` (default): independent groups get their own execution units. `single`: all in unit 1. */
  readonly units?: 'components' | 'single';
  /** Give every entity of a level the same sequence (1), as GetEntitySequence does. */
  readonly sharedSequence?: boolean;
}

export interface PlanDependency {
  /** Label of the referenced entity in this package. */
  readonly label: string;
  /** This entity's staging fields that reference it. */
  readonly fields: readonly string[];
}

export interface Placement {
  readonly label: string;
  /** Null for an entity the catalog does not know. */
  readonly targetEntity: string | null;
  readonly executionUnit: number;
  readonly level: number;
  readonly sequence: number;
  /** Where the level came from. */
  readonly origin: 'auto' | 'override' | 'manifest';
  /** Referenced entities in this package (all units). */
  readonly dependsOn: readonly PlanDependency[];
  /** One sentence: why this entity sits where it sits. */
  readonly reason: string;
}

export interface SequenceCycle {
  readonly labels: readonly string[];
  /** Each reference inside the cycle: `from`'s `fields` reference `to`. */
  readonly edges: readonly { readonly from: string; readonly to: string; readonly fields: readonly string[] }[];
  readonly message: string;
}

export interface SequenceUnit {
  readonly executionUnit: number;
  readonly labels: readonly string[];
  readonly reason: string;
}

export interface SequencePlan {
  /** Sorted by execution unit, level, sequence. */
  readonly placements: readonly Placement[];
  readonly units: readonly SequenceUnit[];
  readonly cycles: readonly SequenceCycle[];
  /** Overrides that break a reference, cross-unit references, unknown or repeated entities. */
  readonly warnings: readonly string[];
}

interface Node {
  readonly label: string;
  readonly targetEntity: string | null;
  readonly fixed: FixedPlacement | undefined;
  /** Referenced entities inside the package → the fields that reference them. */
  readonly deps: Map<Node, string[]>;
  /** Set by the passes below, in this order. */
  component: Node[];
  unit: number;
  level: number;
  origin: Placement['origin'];
  /** The referenced entity that decided the level. */
  binding: Node | undefined;
  sequence: number;
}

export function planSequence(
  inputs: readonly SequenceInput[],
  catalog: CatalogIndex,
  options: SequenceOptions = {},
): SequencePlan {
  const levelStep = positive(options.levelStep, 1);
  const sequenceStep = positive(options.sequenceStep, 1);
  const warnings: string[] = [];
  const nodes = resolveNodes(inputs, catalog, warnings);
  const components = stronglyConnected(nodes);
  const cycles = components.filter((c) => c.length > 1).map(describeCycle);
  assignUnits(nodes, options.units ?? 'components');
  // Tarjan emits components dependencies first, so every referenced level is known when needed.
  for (const component of components) assignLevels(component, levelStep);
  for (const node of nodes) checkReferences(node, warnings);
  assignSequences(nodes, sequenceStep, options.sharedSequence ?? false);

  const placements: Placement[] = nodes.map((node) => ({
    label: node.label,
    targetEntity: node.targetEntity,
    executionUnit: node.unit,
    level: node.level,
    sequence: node.sequence,
    origin: node.origin,
    dependsOn: [...node.deps].map(([dep, fields]) => ({ label: dep.label, fields })),
    reason: placementReason(node),
  }));
  placements.sort((a, b) => a.executionUnit - b.executionUnit || a.level - b.level || a.sequence - b.sequence);
  return { placements, units: describeUnits(placements, nodes), cycles, warnings };
}

function positive(value: number | undefined, fallback: number): number {
  return value !== undefined && Number.isInteger(value) && value > 0 ? value : fallback;
}

function resolveNodes(inputs: readonly SequenceInput[], catalog: CatalogIndex, warnings: string[]): Node[] {
  const nodes: Node[] = [];
  const byTarget = new Map<string, Node>();
  const relationsOf = new Map<Node, CatalogEntity['relations']>();
  const seen = new Set<string>();
  for (const input of inputs) {
    const entity = catalog.findEntity(input.entity);
    const key = (entity?.targetEntity ?? input.entity).toLowerCase();
    if (seen.has(key)) {
      warnings.push(`"${input.entity}" is listed more than once; the first placement is used.`);
      continue;
    }
    seen.add(key);
    if (!entity) {
      warnings.push(
        `"${input.entity}" is not in the ${catalog.catalog.origin} catalog, so its references are unknown: ` +
          'check its place by hand.',
      );
    }
    const node: Node = {
      label: entity?.label ?? input.entity,
      targetEntity: entity?.targetEntity ?? null,
      fixed: input.fixed,
      deps: new Map(),
      component: [],
      unit: 0,
      level: 0,
      origin: 'auto',
      binding: undefined,
      sequence: 0,
    };
    nodes.push(node);
    if (entity) {
      byTarget.set(entity.targetEntity, node);
      relationsOf.set(node, entity.relations);
    }
  }
  for (const [node, relations] of relationsOf) {
    for (const relation of relations) {
      const target = byTarget.get(relation.target);
      if (target === undefined || target === node) continue; // self-references need no order
      const fields = node.deps.get(target) ?? [];
      for (const f of relation.fields) if (!fields.includes(f)) fields.push(f);
      node.deps.set(target, fields);
    }
  }
  return nodes;
}

/** Tarjan's algorithm, iterative (no recursion limit); components come out dependencies first. */
function stronglyConnected(nodes: readonly Node[]): Node[][] {
  const index = new Map<Node, number>();
  const low = new Map<Node, number>();
  const onStack = new Set<Node>();
  const stack: Node[] = [];
  const out: Node[][] = [];
  const order = new Map(nodes.map((n, i) => [n, i]));
  let counter = 0;
  const visit = (n: Node) => {
    index.set(n, counter);
    low.set(n, counter++);
    stack.push(n);
    onStack.add(n);
  };
  for (const root of nodes) {
    if (index.has(root)) continue;
    visit(root);
    const work = [{ node: root, deps: [...root.deps.keys()], next: 0 }];
    for (let frame = work.at(-1); frame; frame = work.at(-1)) {
      const dep = frame.deps[frame.next++];
      if (dep !== undefined) {
        if (!index.has(dep)) {
          visit(dep);
          work.push({ node: dep, deps: [...dep.deps.keys()], next: 0 });
        } else if (onStack.has(dep)) {
          low.set(frame.node, Math.min(low.get(frame.node) ?? 0, index.get(dep) ?? 0));
        }
        continue;
      }
      work.pop();
      const parent = work.at(-1);
      if (parent) low.set(parent.node, Math.min(low.get(parent.node) ?? 0, low.get(frame.node) ?? 0));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: Node[] = [];
        for (let m = stack.pop(); m; m = stack.pop()) {
          onStack.delete(m);
          component.push(m);
          if (m === frame.node) break;
        }
        component.sort((a, b) => (order.get(a) ?? 0) - (order.get(b) ?? 0));
        for (const m of component) m.component = component;
        out.push(component);
      }
    }
  }
  return out;
}

function describeCycle(component: readonly Node[]): SequenceCycle {
  const members = new Set(component);
  const edges = component.flatMap((n) =>
    [...n.deps].filter(([d]) => members.has(d)).map(([d, fields]) => ({ from: n.label, to: d.label, fields })),
  );
  const labels = component.map((n) => n.label);
  const chain = edges.map((e) => `${e.from}.${e.fields.join('+')} → ${e.to}`).join('; ');
  const first = edges[0];
  return {
    labels,
    edges,
    message:
      `${labels.join(', ')} reference each other (${chain}), so no order loads every reference first. ` +
      (first
        ? `Load ${first.to} before ${first.from} with ${first.fields.join(', ')} left empty, then import ${first.from} again with it.`
        : ''),
  };
}

/** Units: one per group of entities connected by references (either direction), or one in total. */
function assignUnits(nodes: readonly Node[], mode: 'components' | 'single'): void {
  const parent = new Map<Node, Node>(nodes.map((n) => [n, n]));
  const find = (x: Node): Node => {
    for (let p = parent.get(x); p && p !== x; p = parent.get(x)) x = p;
    return x;
  };
  if (mode === 'components') {
    for (const n of nodes) for (const d of n.deps.keys()) parent.set(find(n), find(d));
  }
  const groupOf = (n: Node): Node | null => (mode === 'single' ? null : find(n));
  // A group takes the unit an existing manifest gave one of its members (a manifest plans the
  // whole package); the others get the lowest free numbers. A unit the user gave one entity moves
  // that entity only: dragging one card to a new unit must not carry its group along (the
  // reference warnings then say what crosses units).
  const groupUnit = new Map<Node | null, number>();
  for (const n of nodes) {
    const fixed = n.fixed?.origin === 'manifest' ? n.fixed.executionUnit : undefined;
    if (fixed !== undefined && !groupUnit.has(groupOf(n))) groupUnit.set(groupOf(n), fixed);
  }
  const used = new Set(groupUnit.values());
  let next = 1;
  for (const n of nodes) {
    let unit = groupUnit.get(groupOf(n));
    if (unit === undefined) {
      while (used.has(next)) next++;
      unit = next;
      groupUnit.set(groupOf(n), unit);
      used.add(unit);
    }
    n.unit = n.fixed?.executionUnit ?? unit;
  }
}

/**
 * One level above the highest referenced entity in the same unit (other units run in parallel
 * and members of one cycle cannot order each other). A cycle sits on the highest level any of its
 * members needs. Fixed levels win.
 */
function assignLevels(component: readonly Node[], step: number): void {
  for (const n of component) {
    n.level = step;
    for (const d of n.deps.keys()) {
      if (d.component === component || d.unit !== n.unit) continue;
      // The highest referenced level decides; the first such reference names the reason.
      if (d.level + step > n.level || (n.binding === undefined && d.level + step >= n.level)) {
        n.level = d.level + step;
        n.binding = d;
      }
    }
  }
  const shared = Math.max(...component.map((n) => n.level));
  for (const n of component) {
    n.level = n.fixed?.level ?? shared;
    n.origin = n.fixed?.level === undefined ? 'auto' : n.fixed.origin;
  }
}

function checkReferences(node: Node, warnings: string[]): void {
  for (const [dep, fields] of node.deps) {
    const via = fields.join(', ');
    if (dep.unit !== node.unit) {
      warnings.push(
        `${node.label} (unit ${node.unit}) references ${dep.label} (unit ${dep.unit}) through ${via}, ` +
          `but execution units run in parallel: put them in one unit so that ${dep.label} loads first.`,
      );
    } else if (dep.component !== node.component && dep.level >= node.level) {
      warnings.push(
        `${node.label} is on level ${node.level} but references ${dep.label} on level ${dep.level} through ${via}: ` +
          `move ${node.label} to a level above ${dep.level} or ${dep.label} below it.`,
      );
    }
  }
}

function assignSequences(nodes: readonly Node[], step: number, shared: boolean): void {
  const groups = new Map<string, Node[]>();
  for (const n of nodes) {
    const key = `${n.unit}/${n.level}`;
    groups.set(key, [...(groups.get(key) ?? []), n]);
  }
  for (const group of groups.values()) {
    const used = new Set(group.flatMap((n) => (n.fixed?.sequence === undefined ? [] : [n.fixed.sequence])));
    let next = step;
    for (const n of group) {
      if (n.fixed?.sequence !== undefined) n.sequence = n.fixed.sequence;
      else if (shared) n.sequence = step;
      else {
        while (used.has(next)) next += step;
        n.sequence = next;
        used.add(next);
      }
    }
  }
}

function placementReason(node: Node): string {
  const head = `${node.label} is on level ${node.level}`;
  if (node.origin === 'override') return `${head} because you placed it there (manual override).`;
  if (node.origin === 'manifest') return `${head} as the existing manifest has it.`;
  if (node.component.length > 1) {
    const others = node.component.filter((n) => n !== node).map((n) => n.label);
    return `${head} with ${others.join(', ')} because they reference each other (a cycle: see the cycle report).`;
  }
  if (!node.targetEntity) return `${head} because the catalog does not know it, so it references nothing known.`;
  const binding = node.binding;
  const fields = binding && node.deps.get(binding);
  if (!binding || !fields) {
    return [...node.deps.keys()].some((d) => d.unit !== node.unit)
      ? `${head} because the entities it references are in other execution units.`
      : `${head} because it references no other entity in this package.`;
  }
  const also = [...node.deps]
    .filter(([d]) => d !== binding && d.unit === node.unit)
    .map(([d, f]) => `${d.label} via ${f.join(', ')}`);
  return (
    `${head} because ${fields.join(', ')} ${fields.length > 1 ? 'reference' : 'references'} ` +
    `${binding.label} on level ${binding.level}` +
    (also.length > 0 ? ` (it also references ${also.join('; ')}).` : '.')
  );
}

function describeUnits(placements: readonly Placement[], nodes: readonly Node[]): SequenceUnit[] {
  const units = [...new Set(placements.map((p) => p.executionUnit))].sort((a, b) => a - b);
  return units.map((u) => {
    const labels = placements.filter((p) => p.executionUnit === u).map((p) => p.label);
    const linked = nodes.some((n) => n.unit === u && n.deps.size > 0);
    const reason =
      units.length === 1
        ? `Execution unit ${u} holds every entity of the package.`
        : `Execution unit ${u} (${labels.join(', ')}) shares no references with the other units, so it runs in parallel with them` +
          (linked ? '; inside it, levels keep referenced entities first.' : '.');
    return { executionUnit: u, labels, reason };
  });
}

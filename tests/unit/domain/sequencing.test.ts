import { describe, expect, it } from 'vitest';
import { BUILT_IN_CATALOG, assembleCatalog, indexCatalog } from '../../../shared/domain/catalog';
import { defineEntity, ref, text } from '../../../shared/domain/catalog/define';
import {
  formatEntitySequence,
  getEntitySequence,
  parseEntitySequence,
  planSequence,
} from '../../../shared/domain/sequencing';
import type { SequencePlan } from '../../../shared/domain/sequencing';

/** A catalog of entities named by one letter; `refs` maps an entity to the entities it references. */
function graph(refs: Record<string, string[]>) {
  const names = [...new Set([...Object.keys(refs), ...Object.values(refs).flat()])];
  const specs = names.map((n) =>
    defineEntity({
      label: n,
      publicEntityName: n,
      publicCollectionName: `${n}s`,
      targetEntity: `${n}Entity`,
      area: 'System setup',
      companySpecific: true,
      keys: ['ID'],
      fields: [text('Id', 10), ...(refs[n] ?? []).map((t) => text(`${t}Id`, 10))],
      relations: (refs[n] ?? []).map((t) => ref(`${t.toUpperCase()}ID`, `${t}Entity`)),
      fieldCoverage: 'complete',
      sources: [{ kind: 'inferred', ref: 'test', covers: 'all' }],
    }),
  );
  return indexCatalog(assembleCatalog('test', specs, []));
}

const at = (plan: SequencePlan, label: string) => {
  const p = plan.placements.find((x) => x.label === label)!;
  return `${p.executionUnit}.${p.level}.${p.sequence}`;
};
const entities = (...labels: string[]) => labels.map((entity) => ({ entity }));

describe('auto-sequencing', () => {
  it('puts a chain on successive levels of one unit, with the reason', () => {
    const catalog = indexCatalog(BUILT_IN_CATALOG);
    const plan = planSequence(entities('Customers V3', 'Customer groups', 'Terms of payment'), catalog);
    expect(plan.placements.map((p) => [p.label, p.executionUnit, p.level, p.sequence])).toEqual([
      ['Terms of payment', 1, 1, 1],
      ['Customer groups', 1, 2, 1],
      ['Customers V3', 1, 3, 1],
    ]);
    const customers = plan.placements.find((p) => p.label === 'Customers V3')!;
    expect(customers.reason).toBe(
      'Customers V3 is on level 3 because CUSTOMERGROUPID references Customer groups on level 2 ' +
        '(it also references Terms of payment via PAYMENTTERMS).',
    );
    expect(plan.placements[0]!.reason).toBe(
      'Terms of payment is on level 1 because it references no other entity in this package.',
    );
    expect(plan.cycles).toEqual([]);
    expect(plan.warnings).toEqual([]);
  });

  it('places a diamond by its longest path', () => {
    // D references B and C; B and C reference A; C also references B.
    const plan = planSequence(entities('D', 'C', 'B', 'A'), graph({ D: ['B', 'C'], B: ['A'], C: ['A', 'B'] }));
    expect([at(plan, 'A'), at(plan, 'B'), at(plan, 'C'), at(plan, 'D')]).toEqual(['1.1.1', '1.2.1', '1.3.1', '1.4.1']);
    expect(plan.placements.find((p) => p.label === 'D')!.reason).toMatch(
      /because CID references C on level 3 \(it also references B via BID\)/,
    );
  });

  it('numbers entities on one level by sequence in input order', () => {
    const plan = planSequence(entities('A', 'B', 'C'), graph({ C: ['A', 'B'] }));
    expect([at(plan, 'A'), at(plan, 'B'), at(plan, 'C')]).toEqual(['1.1.1', '1.1.2', '1.2.1']);
  });

  it('gives independent groups their own execution units, with a reason', () => {
    const plan = planSequence(entities('B', 'X', 'A', 'Y', 'Z'), graph({ B: ['A'], Y: ['X'], Z: [] }));
    expect([at(plan, 'A'), at(plan, 'B'), at(plan, 'X'), at(plan, 'Y'), at(plan, 'Z')]).toEqual([
      '1.1.1',
      '1.2.1',
      '2.1.1',
      '2.2.1',
      '3.1.1',
    ]);
    expect(plan.units.map((u) => u.labels)).toEqual([['A', 'B'], ['X', 'Y'], ['Z']]);
    expect(plan.units[1]!.reason).toMatch(
      /Execution unit 2 \(X, Y\) shares no references with the other units, so it runs in parallel/,
    );
  });

  it('can keep everything in one unit and use template-style level numbers', () => {
    const plan = planSequence(entities('B', 'A', 'X'), graph({ B: ['A'], X: [] }), {
      units: 'single',
      levelStep: 10,
      sequenceStep: 10,
    });
    expect([at(plan, 'A'), at(plan, 'X'), at(plan, 'B')]).toEqual(['1.10.10', '1.10.20', '1.20.10']);
  });

  it('reports a cycle with the fields that form it and still places its members together', () => {
    const plan = planSequence(entities('A', 'B', 'C'), graph({ A: ['B'], B: ['A'], C: ['A'] }));
    expect(plan.cycles).toHaveLength(1);
    const cycle = plan.cycles[0]!;
    expect(cycle.labels).toEqual(['A', 'B']);
    expect(cycle.edges).toEqual([
      { from: 'A', to: 'B', fields: ['BID'] },
      { from: 'B', to: 'A', fields: ['AID'] },
    ]);
    expect(cycle.message).toContain('A.BID → B; B.AID → A');
    expect(cycle.message).toMatch(/Load B before A with BID left empty/);
    expect(plan.placements.find((p) => p.label === 'A')!.level).toBe(
      plan.placements.find((p) => p.label === 'B')!.level,
    );
    expect(at(plan, 'C')).toBe('1.2.1');
    expect(plan.placements.find((p) => p.label === 'A')!.reason).toMatch(/with B because they reference each other/);
  });

  it('lets manual overrides win and warns when one breaks a reference', () => {
    const plan = planSequence(
      [{ entity: 'A' }, { entity: 'B', fixed: { level: 1, sequence: 5, origin: 'override' } }],
      graph({ B: ['A'] }),
    );
    expect(at(plan, 'B')).toBe('1.1.5');
    expect(plan.placements.find((p) => p.label === 'B')!.origin).toBe('override');
    expect(plan.placements.find((p) => p.label === 'B')!.reason).toMatch(/manual override/);
    expect(plan.warnings).toEqual([
      'B is on level 1 but references A on level 1 through AID: move B to a level above 1 or A below it.',
    ]);
  });

  it('keeps unit, level and sequence from an existing manifest and places the rest around them', () => {
    const plan = planSequence(
      [
        { entity: 'A', fixed: { executionUnit: 3, level: 20, sequence: 10, origin: 'manifest' } },
        { entity: 'B' },
        { entity: 'Z' },
      ],
      graph({ B: ['A'], Z: [] }),
    );
    expect([at(plan, 'A'), at(plan, 'B'), at(plan, 'Z')]).toEqual(['3.20.10', '3.21.1', '1.1.1']);
    expect(plan.placements.find((p) => p.label === 'A')!.reason).toMatch(/as the existing manifest has it/);
    expect(plan.warnings).toEqual([]);
  });

  it('moves only the entity the user placed in another unit: its group stays where it was', () => {
    // The sequencing board's "New unit" column: one card dropped there, the others untouched.
    const refs = { C: ['G'], G: ['T'], T: [] };
    const auto = planSequence(entities('C', 'G', 'T'), graph(refs));
    expect([at(auto, 'T'), at(auto, 'G'), at(auto, 'C')]).toEqual(['1.1.1', '1.2.1', '1.3.1']);
    const moved = planSequence(
      [
        { entity: 'C', fixed: { executionUnit: 2, level: 1, sequence: 1, origin: 'override' } },
        { entity: 'G' },
        { entity: 'T' },
      ],
      graph(refs),
    );
    expect([at(moved, 'T'), at(moved, 'G'), at(moved, 'C')]).toEqual(['1.1.1', '1.2.1', '2.1.1']);
    expect(moved.warnings).toEqual([
      expect.stringMatching(/^C \(unit 2\) references G \(unit 1\) through GID, but execution units run in parallel/),
    ]);
    // Placed in its own unit 1, at another level: the others stay in unit 1 too.
    const lower = planSequence(
      [{ entity: 'C', fixed: { executionUnit: 1, level: 5, sequence: 1, origin: 'override' } }, ...entities('G', 'T')],
      graph(refs),
    );
    expect([at(lower, 'T'), at(lower, 'G'), at(lower, 'C')]).toEqual(['1.1.1', '1.2.1', '1.5.1']);
  });

  it('warns when a reference crosses execution units', () => {
    const plan = planSequence(
      [
        { entity: 'A', fixed: { executionUnit: 2, origin: 'override' } },
        { entity: 'B', fixed: { executionUnit: 1, origin: 'override' } },
      ],
      graph({ B: ['A'] }),
    );
    expect(plan.warnings[0]).toMatch(
      /B \(unit 1\) references A \(unit 2\) through AID, but execution units run in parallel/,
    );
    expect(at(plan, 'B')).toBe('1.1.1');
  });

  it('accepts entities the catalog does not know, with a warning, and drops repeats', () => {
    const plan = planSequence(entities('A', 'Mystery entity', 'a'), graph({ A: [] }));
    expect(plan.placements.map((p) => p.label)).toEqual(['A', 'Mystery entity']);
    expect(plan.placements[1]!.targetEntity).toBeNull();
    expect(plan.warnings.join('\n')).toMatch(/"Mystery entity" is not in the test catalog/);
    expect(plan.warnings.join('\n')).toMatch(/"a" is listed more than once/);
  });

  it('ignores self-references (a customer invoiced to another customer)', () => {
    const plan = planSequence(entities('Customers V3'), indexCatalog(BUILT_IN_CATALOG));
    expect(plan.placements[0]).toMatchObject({ level: 1, dependsOn: [] });
    expect(plan.cycles).toEqual([]);
  });

  it('handles a long chain without recursion limits', () => {
    const refs: Record<string, string[]> = {};
    for (let i = 1; i < 3000; i++) refs[`E${i}`] = [`E${i - 1}`];
    const plan = planSequence(entities(...Object.keys(refs).reverse(), 'E0'), graph(refs));
    expect(plan.placements.at(-1)).toMatchObject({ label: 'E2999', level: 3000 });
  });
});

describe('GetEntitySequence', () => {
  const catalog = indexCatalog(BUILT_IN_CATALOG);

  it('answers with Label-Unit-Level-Sequence tuples, one unit, shared sequences and a trailing comma', () => {
    expect(getEntitySequence('Terms of payment,Terms of delivery,Customer groups,Customers V3', catalog)).toBe(
      'Terms of payment-1-1-1,Terms of delivery-1-1-1,Customer groups-1-2-1,Customers V3-1-3-1,',
    );
  });

  it('leaves out labels it does not know', () => {
    expect(getEntitySequence('Currencies, Nope ,', catalog)).toBe('Currencies-1-1-1,');
  });

  it('parses its own output and labels containing dashes, skipping malformed entries', () => {
    const tuples = [
      { label: 'Organization hierarchy V2 - published and draft', executionUnit: 1, level: 10, sequence: 20 },
      { label: 'Currencies', executionUnit: 2, level: 1, sequence: 1 },
    ];
    expect(parseEntitySequence(formatEntitySequence(tuples))).toEqual(tuples);
    expect(parseEntitySequence('bad,Also-bad-1,X-1-2-3')).toEqual([
      { label: 'X', executionUnit: 1, level: 2, sequence: 3 },
    ]);
  });
});

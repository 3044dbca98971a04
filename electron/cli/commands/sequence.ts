import { suggestEntityLabels } from '../../../shared/domain/catalog';
import { planSequence } from '../../../shared/domain/sequencing';
import type { SequenceInput, SequencePlan } from '../../../shared/domain/sequencing';
import type { Command } from '../command';
import { EXIT, UsageError } from '../io';
import { parseOptions } from '../options';
import { catalogFor } from './catalogSource';
import { jsonText, table } from './text';

const USAGE = `Usage: dmfw sequence "<entity>" ... [--set "<entity>=<unit>.<level>.<sequence>"] [--level-step <n>]
                     [--single-unit] [--metadata <folder> | --env <environment>] [--json]

Plans the execution units, levels and sequences of a package's entities from the references
between them, and says why each entity sits where it does. Independent groups get their own
execution units (they run in parallel); inside a unit, an entity sits above everything it references.

  --set "<entity>=1.3.1"  fix an entity's unit, level and sequence (repeatable; "1.3" or "1" fix less)
  --level-step <n>        number levels n, 2n, 3n… (10 gives the template style 10/20/30)
  --single-unit           keep every entity in execution unit 1
  --metadata <folder>     use an environment's saved metadata instead of the built-in catalog
  --env <environment>     use that environment's latest metadata snapshot (\`dmfw metadata pull\`)
  --json                  print JSON

Exit code 1 when the references form a cycle or a fixed placement breaks one.
`;

export const sequenceCommand: Command = {
  name: 'sequence',
  summary: 'Plan execution units, levels and sequences from entity references, with reasons',
  usage: USAGE,
  async run(args, io) {
    const { values, positionals } = parseOptions(
      args,
      {
        json: { type: 'boolean', default: false },
        set: { type: 'string', multiple: true, default: [] },
        'level-step': { type: 'string' },
        'single-unit': { type: 'boolean', default: false },
        metadata: { type: 'string' },
        env: { type: 'string' },
      },
      { positionals: true },
    );
    const catalog = await catalogFor(values, io);
    const fixed = new Map(values.set.map(parseSet));
    const names = [...positionals, ...[...fixed.keys()].filter((n) => !positionals.includes(n))];
    if (names.length === 0)
      throw new UsageError('Name at least one entity, e.g. dmfw sequence "Customer groups" "Customers V3".');
    for (const name of names) {
      if (!catalog.findEntity(name)) {
        const suggestions = suggestEntityLabels(catalog.catalog, name);
        throw new UsageError(
          `"${name}" is not an entity of the ${catalog.catalog.origin} catalog.` +
            (suggestions.length > 0
              ? ` Did you mean ${suggestions.map((s) => `"${s}"`).join(', ')}?`
              : ' Run `dmfw catalog` for the labels.'),
        );
      }
    }
    const levelStep = values['level-step'] === undefined ? 1 : Number(values['level-step']);
    if (!Number.isInteger(levelStep) || levelStep < 1 || levelStep > 1000) {
      throw new UsageError(`--level-step must be a whole number from 1 to 1000, not "${values['level-step']}".`);
    }
    const inputs: SequenceInput[] = names.map((entity) => {
      const placement = fixed.get(entity);
      return placement ? { entity, fixed: placement } : { entity };
    });
    const plan = planSequence(inputs, catalog, { levelStep, units: values['single-unit'] ? 'single' : 'components' });
    io.stdout(values.json ? jsonText(plan) : planText(plan));
    return plan.cycles.length > 0 || plan.warnings.length > 0 ? EXIT.findings : EXIT.ok;
  },
};

function parseSet(value: string): [string, SequenceInput['fixed'] & object] {
  const match = /^(.+)=(\d{1,6})(?:\.(\d{1,6}))?(?:\.(\d{1,6}))?$/.exec(value.trim());
  const [, entity, unit, level, sequence] = match ?? [];
  if (entity === undefined || unit === undefined) {
    throw new UsageError(
      `--set takes "<entity>=<unit>.<level>.<sequence>", e.g. --set "Customers V3=1.3.1"; not "${value}".`,
    );
  }
  return [
    entity.trim(),
    {
      origin: 'override',
      executionUnit: Number(unit),
      ...(level === undefined ? {} : { level: Number(level) }),
      ...(sequence === undefined ? {} : { sequence: Number(sequence) }),
    },
  ];
}

function planText(plan: SequencePlan): string {
  const rows = plan.placements.map((p) => [
    String(p.executionUnit),
    String(p.level),
    String(p.sequence),
    p.label,
    p.reason,
  ]);
  const lines = [table(['Unit', 'Level', 'Seq', 'Entity', 'Why'], rows)];
  if (plan.units.length > 1) lines.push(...plan.units.map((u) => u.reason), '');
  for (const cycle of plan.cycles) lines.push(`Cycle: ${cycle.message}`);
  for (const warning of plan.warnings) lines.push(`Warning: ${warning}`);
  return `${lines.join('\n').trimEnd()}\n`;
}

import { useEffect, useRef, useState } from 'react';
import type { DragEvent, KeyboardEvent } from 'react';
import type { PackagePlan } from '../../../../shared/api/domains/packages';
import type { Placement } from '../../../../shared/domain/sequencing';
import { Icon } from '../../app/icons';
import type { WizardStore } from './wizardStore';

interface Slot {
  readonly unit: number;
  readonly level: number;
  readonly sequence: number;
}

const DRAG_TYPE = 'application/x-dmfw-entity';

async function place(store: WizardStore, label: string, slot: Slot | null) {
  await store
    .getState()
    .changeEntity(label, ({ sequence: _old, ...spec }) =>
      slot ? { ...spec, sequence: { unit: slot.unit, level: slot.level, sequence: slot.sequence } } : spec,
    );
}

const placeOf = (p: Placement) => `${p.executionUnit}.${p.level}.${p.sequence}`;

/** The next free sequence in a cell of the board, after what is already there. */
function nextSequence(placements: readonly Placement[], unit: number, level: number, except: string): number {
  const inCell = placements.filter((p) => p.executionUnit === unit && p.level === level && p.label !== except);
  return inCell.reduce((max, p) => Math.max(max, p.sequence), 0) + 1;
}

function Card(props: {
  placement: Placement;
  inCycle: boolean;
  selected: boolean;
  onSelect: () => void;
  onKey: (event: KeyboardEvent) => void;
  onReset: () => void;
}) {
  const p = props.placement;
  return (
    <div
      className={`schedule-card${props.selected ? ' is-selected' : ''}${props.inCycle ? ' is-cycle' : ''}`}
      draggable
      onDragStart={(event) => {
        event.dataTransfer.setData(DRAG_TYPE, p.label);
        event.dataTransfer.effectAllowed = 'move';
      }}
    >
      <button
        type="button"
        className="schedule-card__main"
        data-entity={p.label}
        aria-pressed={props.selected}
        aria-keyshortcuts="Alt+ArrowUp Alt+ArrowDown Alt+ArrowLeft Alt+ArrowRight Alt+Shift+ArrowUp Alt+Shift+ArrowDown"
        aria-label={`${p.label}: unit ${p.executionUnit}, level ${p.level}, sequence ${p.sequence}${p.origin === 'override' ? ', placed by you' : ', automatic'}. Alt and the arrow keys move it.`}
        onClick={props.onSelect}
        onKeyDown={props.onKey}
        title={p.reason}
      >
        <Icon name="grip" size={14} />
        <span className="schedule-card__label">{p.label}</span>
        <span className="schedule-card__place mono">
          {p.executionUnit}.{p.level}.{p.sequence}
        </span>
      </button>
      <div className="schedule-card__meta">
        {p.origin === 'override' ? (
          <>
            <span className="badge badge--accent">Placed by you</span>
            <button
              type="button"
              className="link-button"
              onClick={props.onReset}
              aria-label={`Put ${p.label} back in its automatic place`}
            >
              Automatic
            </button>
          </>
        ) : (
          <span className="badge badge--plain">Automatic</span>
        )}
        {props.inCycle && <span className="badge badge--danger">Cycle</span>}
      </div>
    </div>
  );
}

export function SequenceStep({ store, plan }: { store: WizardStore; plan: PackagePlan }) {
  const { placements, cycles, warnings } = plan.sequence;
  const [selected, setSelected] = useState<string | null>(null);
  const [over, setOver] = useState<string | null>(null);
  const moved = useRef<{ label: string; from: string } | null>(null);
  // A card moved with the keyboard lands in another cell (a new element): keep the focus on it,
  // once the plan shows it there (the screen updates the document before the new plan arrives).
  useEffect(() => {
    const move = moved.current;
    if (!move) return;
    const placement = plan.sequence.placements.find((p) => p.label === move.label);
    if (placement && placeOf(placement) === move.from) return;
    moved.current = null;
    document.querySelector<HTMLButtonElement>(`button[data-entity="${CSS.escape(move.label)}"]`)?.focus();
  }, [plan]);
  const units = [...new Set(placements.map((p) => p.executionUnit))].sort((a, b) => a - b);
  const levels = [...new Set(placements.map((p) => p.level))].sort((a, b) => a - b);
  const boardUnits = [...units, (units.at(-1) ?? 0) + 1];
  const boardLevels = [...levels, (levels.at(-1) ?? 0) + 1];
  const inCycle = new Set(cycles.flatMap((c) => c.labels));
  const overrides = placements.filter((p) => p.origin === 'override').length;

  const drop = (event: DragEvent, unit: number, level: number) => {
    event.preventDefault();
    setOver(null);
    const label = event.dataTransfer.getData(DRAG_TYPE);
    if (label) void place(store, label, { unit, level, sequence: nextSequence(placements, unit, level, label) });
  };

  /** Keyboard moves: Alt+↑/↓ level, Alt+←/→ unit, Alt+Shift+↑/↓ sequence within the level. */
  const move = (p: Placement) => (event: KeyboardEvent) => {
    if (!event.altKey) return;
    const delta = { ArrowUp: -1, ArrowDown: 1, ArrowLeft: -1, ArrowRight: 1 }[event.key];
    if (delta === undefined) return;
    event.preventDefault();
    let slot: Slot;
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      const unit = Math.max(1, p.executionUnit + delta);
      slot = { unit, level: p.level, sequence: nextSequence(placements, unit, p.level, p.label) };
    } else if (event.shiftKey) {
      slot = { unit: p.executionUnit, level: p.level, sequence: Math.max(1, p.sequence + delta) };
    } else {
      const level = Math.max(1, p.level + delta);
      slot = { unit: p.executionUnit, level, sequence: nextSequence(placements, p.executionUnit, level, p.label) };
    }
    setSelected(p.label);
    moved.current = { label: p.label, from: placeOf(p) };
    void place(store, p.label, slot);
  };

  return (
    <div className="sequence-step">
      <div className="sequence-step__bar">
        <p className="muted">
          Entities in different execution units run in parallel; within a unit, each level finishes before the next
          starts. Drag a card to another cell, or select it and use <kbd>Alt</kbd>+arrows.
        </p>
        <button
          type="button"
          className="button button--secondary"
          disabled={overrides === 0}
          onClick={() =>
            void store.getState().changeEntities((entities) => entities.map(({ sequence: _drop, ...e }) => e))
          }
        >
          <Icon name="refresh" size={16} />
          Auto-sequence all
        </button>
      </div>
      {cycles.map((cycle) => (
        <div key={cycle.labels.join('|')} className="alert alert--error" role="alert">
          <Icon name="cycle" />
          <p>
            <strong>Cycle: {cycle.labels.join(' ↔ ')}.</strong> {cycle.message}
          </p>
        </div>
      ))}
      {warnings.map((w) => (
        <div key={w} className="alert alert--warning" role="note">
          <Icon name="alert" />
          <p>{w}</p>
        </div>
      ))}
      <div className="sequence-step__layout">
        <section className="schedule" aria-label="Schedule: execution units side by side, levels in order">
          <div className="schedule__grid" role="table" aria-label="Schedule">
            <div className="schedule__row schedule__row--head" role="row">
              <span className="schedule__corner" role="columnheader">
                Level
              </span>
              {boardUnits.map((u) => (
                <span key={u} className="schedule__unit" role="columnheader">
                  {units.includes(u) ? `Execution unit ${u}` : 'New unit'}
                </span>
              ))}
            </div>
            {boardLevels.map((level) => (
              <div key={level} className="schedule__row" role="row">
                <span className="schedule__level" role="rowheader">
                  {levels.includes(level) ? level : 'New'}
                </span>
                {boardUnits.map((unit) => {
                  const key = `${unit}.${level}`;
                  const cards = placements
                    .filter((p) => p.executionUnit === unit && p.level === level)
                    .sort((a, b) => a.sequence - b.sequence);
                  return (
                    <div
                      key={key}
                      role="cell"
                      aria-label={`Unit ${unit}, level ${level}: ${cards.length ? cards.map((c) => c.label).join(', ') : 'empty'}`}
                      className={`schedule__cell${over === key ? ' is-over' : ''}${cards.length === 0 ? ' is-empty' : ''}`}
                      onDragOver={(event) => {
                        if (!event.dataTransfer.types.includes(DRAG_TYPE)) return;
                        event.preventDefault();
                        setOver(key);
                      }}
                      onDragLeave={() => setOver((current) => (current === key ? null : current))}
                      onDrop={(event) => drop(event, unit, level)}
                    >
                      {cards.map((p) => (
                        <Card
                          key={p.label}
                          placement={p}
                          inCycle={inCycle.has(p.label)}
                          selected={selected === p.label}
                          onSelect={() => setSelected(p.label === selected ? null : p.label)}
                          onKey={move(p)}
                          onReset={() => void place(store, p.label, null)}
                        />
                      ))}
                    </div>
                  );
                })}
              </div>
            ))}
          </div>
        </section>
        <aside className="reasons" aria-label="Why this order">
          <h3>Why this order</h3>
          <ol>
            {[...placements]
              .sort((a, b) => a.executionUnit - b.executionUnit || a.level - b.level || a.sequence - b.sequence)
              .map((p) => (
                <li key={p.label} className={selected === p.label ? 'is-selected' : undefined}>
                  <strong>{p.label}</strong>
                  <span className="mono muted">
                    {' '}
                    {p.executionUnit}.{p.level}.{p.sequence}
                  </span>
                  <p>{p.reason}</p>
                  {p.dependsOn.length > 0 && (
                    <p className="muted reasons__deps">
                      After{' '}
                      {p.dependsOn.map((d, i) => (
                        <span key={d.label}>
                          {i > 0 && ', '}
                          {d.label} <span className="mono">({d.fields.join(', ')})</span>
                        </span>
                      ))}
                    </p>
                  )}
                </li>
              ))}
          </ol>
        </aside>
      </div>
    </div>
  );
}

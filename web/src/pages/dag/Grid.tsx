import { useRef } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Grid as GridData } from '../../api/client';
import { STATE_SYMBOL, stateLabel } from '../../api/states';
import { formatDate } from '../../components/time';

const CELL = 22;
// What is drawn before the scroll box is measured: a typical screen.
const FIRST_RECT = { width: 1200, height: 700 };

/**
 * Runs × tasks: a column per run (oldest on the left), a row per task; only the rows and columns in view are in
 * the page, so 100 runs of 1,000 tasks cost what one screen does. Every cell shows its state's symbol.
 */
export function Grid({ grid, selected, onSelect }: {
  grid: GridData;
  selected: { runId?: string; taskId?: string };
  onSelect: (runId: string, taskId?: string) => void;
}) {
  const runs = [...grid.dag_runs].reverse();
  const parent = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({ count: grid.task_ids.length, getScrollElement: () => parent.current, estimateSize: () => CELL, overscan: 12, initialRect: FIRST_RECT });
  const cols = useVirtualizer({ horizontal: true, count: runs.length, getScrollElement: () => parent.current, estimateSize: () => CELL, overscan: 6, initialRect: FIRST_RECT });
  const labelWidth = 220;

  return (
    <div ref={parent} className="grid-scroll" data-testid="grid" role="grid" aria-label="Runs and tasks" aria-rowcount={grid.task_ids.length + 1}>
      <div style={{ height: rows.getTotalSize() + CELL * 2, width: cols.getTotalSize() + labelWidth, position: 'relative' }}>
        <div className="grid-header" style={{ width: cols.getTotalSize() + labelWidth }}>
          <span className="grid-corner" style={{ width: labelWidth }}>task \ run</span>
          {cols.getVirtualItems().map((c) => {
            const r = runs[c.index];
            return (
              <button key={r.run_id} className={`cell run-cell s-${r.state} ${selected.runId === r.run_id ? 'sel' : ''}`}
                style={{ position: 'absolute', left: labelWidth + c.start, width: CELL }}
                title={`${r.run_id}\n${stateLabel(r.state)}\n${formatDate(r.logical_date)}`} aria-label={`run ${r.run_id} ${stateLabel(r.state)}`}
                onClick={() => onSelect(r.run_id)}>
                {STATE_SYMBOL[r.state]}
              </button>
            );
          })}
        </div>
        {rows.getVirtualItems().map((row) => {
          const taskId = grid.task_ids[row.index];
          return (
            <div key={taskId} role="row" className="grid-row" style={{ position: 'absolute', top: CELL * 1.5 + row.start, height: CELL, width: '100%' }}>
              <span className="grid-task" style={{ width: labelWidth }} title={taskId}>{taskId}</span>
              {cols.getVirtualItems().map((c) => {
                const r = runs[c.index];
                const state = r.states[row.index] ?? 'none';
                const isSel = selected.runId === r.run_id && selected.taskId === taskId;
                return (
                  <button key={r.run_id} role="gridcell" className={`cell s-${state} ${isSel ? 'sel' : ''}`}
                    style={{ position: 'absolute', left: labelWidth + c.start, width: CELL }}
                    title={`${taskId} · ${r.run_id}: ${stateLabel(state)}`} aria-label={`${taskId} in ${r.run_id}: ${stateLabel(state)}`}
                    data-task={taskId} data-state={state}
                    onClick={() => onSelect(r.run_id, taskId)}>
                    {STATE_SYMBOL[state]}
                  </button>
                );
              })}
            </div>
          );
        })}
      </div>
    </div>
  );
}

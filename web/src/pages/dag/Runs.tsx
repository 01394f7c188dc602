import { useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { api, enc, type DagRunCollection } from '../../api/client';
import { StateBadge } from '../../components/StateBadge';
import { formatDate } from '../../components/time';

/** The DAG's runs, newest first (up to 1,000, virtualized). */
export function Runs({ dagId, selected, onSelect }: { dagId: string; selected?: string; onSelect: (runId: string) => void }) {
  const runs = useQuery({ queryKey: ['runs', dagId, 'all'], queryFn: () => api<DagRunCollection>(`/api/v1/dags/${enc(dagId)}/dagRuns?limit=1000`) });
  const list = runs.data?.dag_runs ?? [];
  const parent = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({ count: list.length, getScrollElement: () => parent.current, estimateSize: () => 34, overscan: 10 });
  return (
    <div ref={parent} className="scroll" role="table" aria-label="Runs">
      <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
        {rows.getVirtualItems().map((v) => {
          const r = list[v.index];
          return (
            <div key={r.run_id} role="row" className={`run-row ${r.run_id === selected ? 'sel' : ''}`}
              style={{ position: 'absolute', top: 0, transform: `translateY(${v.start}px)`, height: v.size, width: '100%' }}>
              <StateBadge state={r.state} />
              <button className="linklike" onClick={() => onSelect(r.run_id)}>{r.run_id}</button>
              <span className="muted">{r.run_type}</span>
              <span>{formatDate(r.start_date)}</span>
              <span>{formatDate(r.end_date)}</span>
            </div>
          );
        })}
      </div>
    </div>
  );
}

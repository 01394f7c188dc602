import { useMemo, useRef, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { api, enc, type Dag, type DagCollection, type DagRunCollection } from '../../api/client';
import { StateBadge } from '../../components/StateBadge';
import { nextRunText, scheduleInWords } from '../../components/time';

function LastRuns({ dagId }: { dagId: string }) {
  const runs = useQuery({ queryKey: ['runs', dagId, 'last'], queryFn: () => api<DagRunCollection>(`/api/v1/dags/${enc(dagId)}/dagRuns?limit=8`) });
  return (
    <span className="last-runs" aria-label="last runs">
      {runs.data?.dag_runs.map((r) => <StateBadge key={r.run_id} state={r.state} compact />)}
    </span>
  );
}

function PauseToggle({ dag }: { dag: Dag }) {
  const client = useQueryClient();
  const [error, setError] = useState<string>();
  const pause = useMutation({
    mutationFn: (paused: boolean) => api<Dag>(`/api/v1/dags/${enc(dag.dag_id)}`, { method: 'PATCH', body: { is_paused: paused } }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['dags'] }),
    onError: (e: Error) => setError(e.message),
  });
  return (
    <label className="toggle" title={error}>
      <input type="checkbox" checked={!dag.is_paused} onChange={(e) => pause.mutate(!e.target.checked)} aria-label={`${dag.dag_id} active`} />
      {dag.is_paused ? 'paused' : 'active'}
    </label>
  );
}

/** Pages of 1,000 (the API's largest) until every DAG is read. */
async function allDags(): Promise<DagCollection> {
  const first = await api<DagCollection>('/api/v1/dags?limit=1000');
  const dags = [...first.dags];
  while (dags.length < Number(first.total_entries)) {
    const page = await api<DagCollection>(`/api/v1/dags?limit=1000&offset=${dags.length}`);
    if (page.dags.length === 0) break;
    dags.push(...page.dags);
  }
  return { dags, total_entries: first.total_entries };
}

/** Every registered DAG: search by id, description or tag; rows are virtualized. */
export function DagList() {
  const dags = useQuery({ queryKey: ['dags'], queryFn: allDags });
  const [search, setSearch] = useState('');
  const shown = useMemo(() => {
    const s = search.toLowerCase();
    return (dags.data?.dags ?? []).filter(
      (d) => !s || d.dag_id.toLowerCase().includes(s) || (d.description ?? '').toLowerCase().includes(s) || d.tags.some((t) => t.toLowerCase().includes(s)),
    );
  }, [dags.data, search]);
  const parent = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({ count: shown.length, getScrollElement: () => parent.current, estimateSize: () => 44, overscan: 10 });

  return (
    <section aria-labelledby="dags-title">
      <div className="toolbar">
        <h1 id="dags-title">DAGs</h1>
        <input type="search" placeholder="Search id, description, tag" value={search} onChange={(e) => setSearch(e.target.value)} aria-label="Search DAGs" />
        <span className="muted">{shown.length} of {dags.data?.total_entries ?? '…'}</span>
      </div>
      {dags.error && <p role="alert" className="error">{(dags.error as Error).message}</p>}
      <div className="table-head dag-row" role="row">
        <span>DAG</span><span>Schedule</span><span>Last runs</span><span>Tags</span><span>State</span>
      </div>
      <div ref={parent} className="scroll" role="table" aria-label="DAGs">
        <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {rows.getVirtualItems().map((v) => {
            const d = shown[v.index];
            return (
              <div key={d.dag_id} className="dag-row" role="row" style={{ position: 'absolute', top: 0, transform: `translateY(${v.start}px)`, height: v.size, width: '100%' }}>
                <span>
                  <a href={`#/dags/${enc(d.dag_id)}`} className="dag-link">{d.dag_id}</a>
                  {d.load_error && <span className="error" title={d.load_error}> ⚠ load error</span>}
                  <div className="muted small">{d.description}</div>
                </span>
                <span title={d.schedule ?? ''}>
                  {scheduleInWords(d.schedule)}
                  {d.next_dagrun_run_after && <div className="muted small" title={d.next_dagrun_run_after}>next {nextRunText(d.next_dagrun_run_after)}</div>}
                </span>
                <LastRuns dagId={d.dag_id} />
                <span>{d.tags.map((t) => <button key={t} className="tag" onClick={() => setSearch(t)}>{t}</button>)}</span>
                <PauseToggle dag={d} />
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

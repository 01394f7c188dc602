import { lazy, Suspense, useMemo, useState } from 'react';
import { useQuery } from '@tanstack/react-query';
import { api, enc, type Dag, type Grid as GridData } from '../../api/client';
import { useLiveEvents } from '../../api/live';
import { StateBadge } from '../../components/StateBadge';
import { Tabs } from '../../components/Tabs';
import { navigate } from '../../components/useHashRoute';
import { nextRunText, scheduleInWords } from '../../components/time';
import { Code } from './Code';
import { Gantt } from './Gantt';
import { Grid } from './Grid';
import { Runs } from './Runs';
import { TaskPanel } from './TaskPanel';
import { TriggerForm } from './TriggerForm';

// The graph (React Flow, ELK) is loaded when first shown, so the first page does not wait for it.
const Graph = lazy(() => import('./Graph').then((m) => ({ default: m.Graph })));

const TABS = ['Grid', 'Graph', 'Gantt', 'Code', 'Runs'] as const;
type Tab = (typeof TABS)[number];

/** A DAG: its grid, graph, Gantt chart, code and runs, with live states and a panel for the selected task. */
export function DagPage({ dagId, query }: { dagId: string; query: URLSearchParams }) {
  const tab = (TABS as readonly string[]).includes(query.get('tab') ?? '') ? (query.get('tab') as Tab) : 'Grid';
  const runParam = query.get('run') ?? undefined;
  const taskParam = query.get('task') ?? undefined;
  const [triggering, setTriggering] = useState(false);
  const live = useLiveEvents(dagId);
  const dag = useQuery({ queryKey: ['dag', dagId], queryFn: () => api<Dag>(`/api/v1/dags/${enc(dagId)}`) });
  const limit = Number(query.get('runs') ?? 25);
  const grid = useQuery({ queryKey: ['grid', dagId, limit], queryFn: () => api<GridData>(`/api/v1/dags/${enc(dagId)}/grid?limit=${limit}`) });

  const go = (changes: Record<string, string | undefined>) => {
    const q = new URLSearchParams(query);
    for (const [k, v] of Object.entries(changes)) {
      if (v === undefined) q.delete(k);
      else q.set(k, v);
    }
    navigate(`/dags/${enc(dagId)}?${q.toString()}`);
  };
  const runId = runParam ?? grid.data?.dag_runs[0]?.run_id;
  const run = grid.data?.dag_runs.find((r) => r.run_id === runId);
  const states = useMemo(() => {
    const m = new Map<string, string>();
    if (grid.data && run) grid.data.task_ids.forEach((t, i) => m.set(t, run.states[i]));
    return m;
  }, [grid.data, run]);

  if (dag.error) return <p role="alert" className="error">{(dag.error as Error).message}</p>;
  const d = dag.data;
  return (
    <div className={`dag-page ${taskParam && runId ? 'with-panel' : ''}`}>
      <section className="dag-main">
        <div className="toolbar">
          <h1>{dagId}</h1>
          {d?.is_paused && <span className="badge s-none">paused</span>}
          <span className="muted">{scheduleInWords(d?.schedule)}</span>
          {d?.next_dagrun_run_after && <span className="muted" title={d.next_dagrun_run_after}>next {nextRunText(d.next_dagrun_run_after)}</span>}
          <span className={`live live-${live}`} aria-live="polite">{live === 'live' ? '● live' : live}</span>
          <span className="spacer" />
          <button className="primary" onClick={() => setTriggering(true)} disabled={!d}>Trigger</button>
        </div>
        {d?.description && <p className="muted">{d.description}</p>}
        {run && (
          <p className="small">
            Run <strong>{run.run_id}</strong> <StateBadge state={run.state} />
          </p>
        )}
        <Tabs tabs={TABS} value={tab} onChange={(t) => go({ tab: t })} label="DAG views" />
        <div role="tabpanel" aria-labelledby={`tab-${tab}`} className="tab-body">
          {tab === 'Grid' && grid.data && (
            grid.data.dag_runs.length === 0
              ? <p className="muted">No run yet. Trigger one.</p>
              : <Grid grid={grid.data} selected={{ runId, taskId: taskParam }} onSelect={(r, t) => go({ run: r, task: t })} />
          )}
          {tab === 'Graph' && d && (
            <Suspense fallback={<p className="muted">Loading the graph…</p>}>
              <Graph dag={d} states={states} selectedTask={taskParam} onSelect={(t) => runId && go({ run: runId, task: t })} />
            </Suspense>
          )}
          {tab === 'Gantt' && runId && <Gantt dagId={dagId} runId={runId} onSelect={(t) => go({ run: runId, task: t })} />}
          {tab === 'Code' && <Code dagId={dagId} />}
          {tab === 'Runs' && <Runs dagId={dagId} selected={runId} onSelect={(r) => go({ run: r })} />}
        </div>
      </section>
      {taskParam && runId && <TaskPanel dagId={dagId} runId={runId} taskId={taskParam} onClose={() => go({ task: undefined })} />}
      {triggering && d && (
        <TriggerForm dag={d} onCancel={() => setTriggering(false)} onDone={(r) => {
          setTriggering(false);
          void grid.refetch();
          go({ run: r.run_id, task: undefined });
        }} />
      )}
    </div>
  );
}

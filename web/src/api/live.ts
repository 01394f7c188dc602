import { useEffect, useState } from 'react';
import { useQueryClient, type QueryClient } from '@tanstack/react-query';
import type { DagRun, Grid, LifecycleEvent } from './client';
import { readSse } from './sse';

/** Applies one lifecycle event to the cached answers it concerns, so views change without asking the server again. */
export function applyEvent(client: QueryClient, e: LifecycleEvent): void {
  let known = false;
  client.setQueriesData<Grid>({ queryKey: ['grid', e.dag_id] }, (grid) => {
    if (!grid) return grid;
    const index = grid.dag_runs.findIndex((r) => r.run_id === e.run_id);
    if (index < 0) return grid;
    known = true;
    const run = { ...grid.dag_runs[index] };
    if (e.kind === 'run') {
      run.state = e.state;
      run.start_date = e.start_date ?? run.start_date;
      run.end_date = e.end_date ?? run.end_date;
    } else if (e.task_id) {
      const t = grid.task_ids.indexOf(e.task_id);
      if (t < 0) return grid;
      run.states = [...run.states];
      run.states[t] = e.state;
      if (e.try_number != null) {
        run.tries = [...run.tries];
        run.tries[t] = e.try_number;
      }
    }
    const dagRuns = [...grid.dag_runs];
    dagRuns[index] = run;
    return { ...grid, dag_runs: dagRuns };
  });
  client.setQueryData<DagRun>(['run', e.dag_id, e.run_id], (run) => {
    if (!run) return run;
    if (e.kind === 'run') return { ...run, state: e.state, start_date: e.start_date ?? run.start_date, end_date: e.end_date ?? run.end_date };
    return {
      ...run,
      tasks: run.tasks == null ? run.tasks : run.tasks.map((t) =>
        t.task_id === e.task_id
          ? { ...t, state: e.state, try_number: e.try_number ?? t.try_number, start_date: e.start_date ?? t.start_date, end_date: e.end_date ?? t.end_date }
          : t,
      ),
    };
  });
  if (!known && e.kind === 'run') void client.invalidateQueries({ queryKey: ['grid', e.dag_id] });
  if (e.kind === 'task') void client.invalidateQueries({ queryKey: ['attempts', e.dag_id, e.run_id] });
  if (e.kind === 'run') void client.invalidateQueries({ queryKey: ['runs', e.dag_id] });
}

/** Listens to /api/v1/events/stream (of one DAG when given) while mounted; reconnects with backoff. */
export function useLiveEvents(dagId?: string): 'connecting' | 'live' | 'offline' {
  const client = useQueryClient();
  const [status, setStatus] = useState<'connecting' | 'live' | 'offline'>('connecting');
  useEffect(() => {
    const abort = new AbortController();
    let delay = 500;
    const url = '/api/v1/events/stream' + (dagId ? `?dag_id=${encodeURIComponent(dagId)}` : '');
    void (async () => {
      while (!abort.signal.aborted) {
        try {
          await readSse(url, (m) => {
            if (m.event === 'ready') {
              setStatus('live');
              delay = 500;
              // What changed while not listening is read again once.
              void client.invalidateQueries({ queryKey: dagId ? ['grid', dagId] : ['grid'] });
            } else if (m.event === 'run' || m.event === 'task') {
              applyEvent(client, JSON.parse(m.data) as LifecycleEvent);
            }
          }, abort.signal);
        } catch {
          // reconnect below
        }
        if (abort.signal.aborted) return;
        setStatus('offline');
        await new Promise((r) => setTimeout(r, delay));
        delay = Math.min(delay * 2, 10000);
      }
    })();
    return () => abort.abort();
  }, [client, dagId]);
  return status;
}

import { Fragment, useState } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, ApiError, enc, type AttemptCollection, type ClearResponse, type DagRun, type TaskInstance } from '../../api/client';
import { StateBadge } from '../../components/StateBadge';
import { formatDate, formatDuration } from '../../components/time';
import { LogView } from './LogView';

/** One task instance: state, its command as rendered (secrets masked), attempts, outputs, its log (live while it runs) and the operator's actions. */
export function TaskPanel({ dagId, runId, taskId, onClose }: { dagId: string; runId: string; taskId: string; onClose: () => void }) {
  const client = useQueryClient();
  const run = useQuery({ queryKey: ['run', dagId, runId], queryFn: () => api<DagRun>(`/api/v1/dags/${enc(dagId)}/dagRuns/${enc(runId)}`) });
  const attempts = useQuery({
    queryKey: ['attempts', dagId, runId, taskId],
    queryFn: () => api<AttemptCollection>(`/api/v1/dags/${enc(dagId)}/dagRuns/${enc(runId)}/attempts?task_id=${enc(taskId)}`),
  });
  const [message, setMessage] = useState<{ text: string; error: boolean }>();
  const [tryShown, setTryShown] = useState<number>();
  const task: TaskInstance | undefined = run.data?.tasks?.find((t) => t.task_id === taskId);
  // The run lists its tasks without their commands; the task's own answer has the one rendered for its current try.
  const detail = useQuery({
    queryKey: ['task', dagId, runId, taskId, task?.try_number],
    queryFn: () => api<TaskInstance>(`/api/v1/dags/${enc(dagId)}/dagRuns/${enc(runId)}/taskInstances/${enc(taskId)}`),
    enabled: task != null,
  });

  const refresh = () => {
    void client.invalidateQueries({ queryKey: ['run', dagId, runId] });
    void client.invalidateQueries({ queryKey: ['grid', dagId] });
    void client.invalidateQueries({ queryKey: ['attempts', dagId, runId] });
  };
  const onError = (e: Error) =>
    setMessage({ text: e instanceof ApiError && e.status === 403 ? `Refused: your token's role may not do this (${e.message})` : e.message, error: true });
  const clear = useMutation({
    mutationFn: (downstream: boolean) => api<ClearResponse>(`/api/v1/dags/${enc(dagId)}/dagRuns/${enc(runId)}/taskInstances/${enc(taskId)}/clear`,
      { method: 'POST', body: { include_downstream: downstream } }),
    onSuccess: (r) => {
      setMessage({ text: `Cleared ${r.task_ids.join(', ')}; the run is ${r.run_state}`, error: false });
      refresh();
    },
    onError,
  });
  const mark = useMutation({
    mutationFn: (state: string) => api<TaskInstance>(`/api/v1/dags/${enc(dagId)}/dagRuns/${enc(runId)}/taskInstances/${enc(taskId)}`,
      { method: 'PATCH', body: { state } }),
    onSuccess: (t) => {
      setMessage({ text: `Marked ${t.state}`, error: false });
      refresh();
    },
    onError,
  });

  const shownTry = tryShown ?? Number(task?.try_number ?? 0);
  const running = task?.state === 'running' && shownTry === Number(task.try_number);
  return (
    <aside className="panel" aria-label={`Task ${taskId}`} data-testid="task-panel" onKeyDown={(e) => e.key === 'Escape' && onClose()}>
      <header className="panel-head">
        <h2>{taskId}</h2>
        <button onClick={onClose} aria-label="Close task panel">✕</button>
      </header>
      <p className="muted small">{runId}</p>
      {task ? (
        <dl className="facts">
          <dt>State</dt><dd><StateBadge state={task.state} /></dd>
          <dt>Try</dt><dd>{task.try_number} of {task.max_tries}</dd>
          <dt>Exit code</dt><dd>{task.exit_code ?? '–'}</dd>
          <dt>Started</dt><dd>{formatDate(task.start_date)}</dd>
          <dt>Duration</dt><dd>{formatDuration(task.duration_ms == null ? null : Number(task.duration_ms))}</dd>
          {task.reason && (<><dt>Reason</dt><dd>{task.reason}</dd></>)}
          <dt>Pool</dt><dd>{task.pool} · queue {task.queue}</dd>
        </dl>
      ) : <p className="muted">…</p>}
      <div className="actions wrap">
        <button onClick={() => clear.mutate(false)} disabled={clear.isPending}>Clear</button>
        <button onClick={() => clear.mutate(true)} disabled={clear.isPending}>Clear with downstream</button>
        <button onClick={() => mark.mutate('success')} disabled={mark.isPending}>Mark success</button>
        <button onClick={() => mark.mutate('failed')} disabled={mark.isPending}>Mark failed</button>
      </div>
      {message && <p role={message.error ? 'alert' : 'status'} className={message.error ? 'error' : 'ok'}>{message.text}</p>}
      {detail.data?.rendered_command && (
        <>
          <h3 id="task-command">Command</h3>
          <pre className="code command" aria-labelledby="task-command">{detail.data.rendered_command}</pre>
        </>
      )}
      {task && Object.keys(task.outputs).length > 0 && (
        <>
          <h3>Outputs</h3>
          <dl className="facts">{Object.entries(task.outputs).map(([k, v]) => (<Fragment key={k}><dt>{k}</dt><dd>{v}</dd></Fragment>))}</dl>
        </>
      )}
      <h3>Attempts</h3>
      <ul className="attempts">
        {attempts.data?.attempts.map((a) => (
          <li key={String(a.try_number)}>
            <button className={`linklike ${Number(a.try_number) === shownTry ? 'sel' : ''}`} onClick={() => setTryShown(Number(a.try_number))}>try {a.try_number}</button>{' '}
            <StateBadge state={a.state} /> {formatDuration(a.duration_ms == null ? null : Number(a.duration_ms))} {a.exit_code != null && `exit ${a.exit_code}`}
          </li>
        ))}
      </ul>
      {shownTry > 0 && <LogView dagId={dagId} runId={runId} taskId={taskId} tryNumber={shownTry} running={running} />}
    </aside>
  );
}

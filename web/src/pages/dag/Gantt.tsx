import { useQuery } from '@tanstack/react-query';
import { api, enc, type AttemptCollection } from '../../api/client';
import { STATE_SYMBOL, stateLabel } from '../../api/states';
import { formatDuration } from '../../components/time';

/** One run's attempts on a time axis: a row per task, a bar per try, so retries show side by side. */
export function Gantt({ dagId, runId, onSelect }: { dagId: string; runId: string; onSelect: (taskId: string) => void }) {
  const attempts = useQuery({
    queryKey: ['attempts', dagId, runId],
    queryFn: () => api<AttemptCollection>(`/api/v1/dags/${enc(dagId)}/dagRuns/${enc(runId)}/attempts`),
  });
  const list = attempts.data?.attempts ?? [];
  if (list.length === 0) return <p className="muted">No attempt yet in this run.</p>;
  const now = Date.now();
  const start = Math.min(...list.map((a) => Date.parse(a.start_date)));
  const end = Math.max(...list.map((a) => (a.end_date ? Date.parse(a.end_date) : now)));
  const span = Math.max(end - start, 1);
  const tasks = [...new Set(list.map((a) => a.task_id))];
  return (
    <div className="gantt" data-testid="gantt" role="table" aria-label="Attempts on a time axis">
      <div className="gantt-axis muted small"><span>0</span><span>{formatDuration(span)}</span></div>
      {tasks.map((t) => (
        <div key={t} className="gantt-row" role="row">
          <button className="gantt-task linklike" onClick={() => onSelect(t)}>{t}</button>
          <div className="gantt-track">
            {list.filter((a) => a.task_id === t).map((a) => {
              const s = Date.parse(a.start_date);
              const e = a.end_date ? Date.parse(a.end_date) : now;
              return (
                <span key={String(a.try_number)} className={`gantt-bar s-${a.state}`} role="cell"
                  style={{ left: `${((s - start) / span) * 100}%`, width: `max(${((e - s) / span) * 100}%, 18px)` }}
                  title={`${t} try ${a.try_number}: ${stateLabel(a.state)}, ${formatDuration(a.duration_ms == null ? null : Number(a.duration_ms))}${a.exit_code != null ? `, exit ${a.exit_code}` : ''}`}>
                  {STATE_SYMBOL[a.state]} {a.try_number}
                </span>
              );
            })}
          </div>
        </div>
      ))}
    </div>
  );
}

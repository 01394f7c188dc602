import { useState, type FormEvent } from 'react';
import { useMutation } from '@tanstack/react-query';
import { api, enc, type Dag, type DagRun } from '../../api/client';

type Value = string | number | boolean | null | object;

function initial(value: Value): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

function parse(text: string, like: Value): Value {
  if (typeof like === 'number') return Number(text);
  if (typeof like === 'boolean') return text === 'true';
  if (typeof like === 'string') return text;
  return JSON.parse(text) as Value;
}

/** A form built from the DAG's params, each field holding its default; sends the values as the run's conf. */
export function TriggerForm({ dag, onDone, onCancel }: { dag: Dag; onDone: (run: DagRun) => void; onCancel: () => void }) {
  const params = (dag.params ?? {}) as Record<string, Value>;
  const [values, setValues] = useState<Record<string, string>>(() => Object.fromEntries(Object.entries(params).map(([k, v]) => [k, initial(v)])));
  const [error, setError] = useState<string>();
  const trigger = useMutation({
    mutationFn: (conf: Record<string, Value>) => api<DagRun>(`/api/v1/dags/${enc(dag.dag_id)}/dagRuns`, { method: 'POST', body: { conf } }),
    onSuccess: onDone,
    onError: (e: Error) => setError(e.message),
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    try {
      trigger.mutate(Object.fromEntries(Object.entries(values).map(([k, v]) => [k, parse(v, params[k])])));
    } catch (x) {
      setError(`invalid value: ${(x as Error).message}`);
    }
  };
  return (
    <div className="dialog-backdrop" onKeyDown={(e) => e.key === 'Escape' && onCancel()}>
      <form className="dialog" role="dialog" aria-modal="true" aria-labelledby="trigger-title" onSubmit={submit}>
        <h2 id="trigger-title">Trigger {dag.dag_id}</h2>
        {Object.keys(params).length === 0 && <p className="muted">This DAG takes no parameters.</p>}
        {Object.entries(params).map(([k, v], i) => (
          <label key={k} className="field">
            <span>{k}</span>
            {typeof v === 'boolean' ? (
              <input type="checkbox" name={k} checked={values[k] === 'true'} onChange={(e) => setValues({ ...values, [k]: String(e.target.checked) })} />
            ) : (
              <input name={k} type={typeof v === 'number' ? 'number' : 'text'} value={values[k]} autoFocus={i === 0}
                onChange={(e) => setValues({ ...values, [k]: e.target.value })} />
            )}
          </label>
        ))}
        {error && <p role="alert" className="error">{error}</p>}
        <div className="actions">
          <button type="button" onClick={onCancel}>Cancel</button>
          <button type="submit" className="primary" disabled={trigger.isPending} autoFocus={Object.keys(params).length === 0}>Trigger run</button>
        </div>
      </form>
    </div>
  );
}

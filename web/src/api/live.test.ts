import { describe, expect, it } from 'vitest';
import { QueryClient } from '@tanstack/react-query';
import { applyEvent } from './live';
import type { Grid } from './client';

const grid = (): Grid => ({
  dag_id: 'd',
  task_ids: ['a', 'b'],
  total_entries: 1,
  dag_runs: [{ run_id: 'r1', state: 'running', run_type: 'manual', logical_date: null, start_date: null, end_date: null, states: ['success', 'queued'], tries: [1, 0] }],
});

describe('applyEvent', () => {
  it('changes the one cell of the grid that the event names', () => {
    const client = new QueryClient();
    client.setQueryData(['grid', 'd', 25], grid());
    applyEvent(client, { kind: 'task', dag_id: 'd', run_id: 'r1', task_id: 'b', state: 'running', try_number: 1, start_date: null, end_date: null, at: '' });
    applyEvent(client, { kind: 'run', dag_id: 'd', run_id: 'r1', task_id: null, state: 'success', try_number: null, start_date: null, end_date: null, at: '' });
    const after = client.getQueryData<Grid>(['grid', 'd', 25])!;
    expect(after.dag_runs[0].states).toEqual(['success', 'running']);
    expect(after.dag_runs[0].tries).toEqual([1, 1]);
    expect(after.dag_runs[0].state).toBe('success');
  });

  it('leaves other DAGs alone and asks again for a run it does not hold', () => {
    const client = new QueryClient();
    client.setQueryData(['grid', 'd', 25], grid());
    applyEvent(client, { kind: 'run', dag_id: 'd', run_id: 'r2', task_id: null, state: 'queued', try_number: null, start_date: null, end_date: null, at: '' });
    expect(client.getQueryState(['grid', 'd', 25])?.isInvalidated).toBe(true);
    applyEvent(client, { kind: 'task', dag_id: 'other', run_id: 'r1', task_id: 'b', state: 'failed', try_number: 1, start_date: null, end_date: null, at: '' });
    expect(client.getQueryData<Grid>(['grid', 'd', 25])!.dag_runs[0].states[1]).toBe('queued');
  });
});

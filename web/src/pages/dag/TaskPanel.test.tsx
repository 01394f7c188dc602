import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { TaskPanel } from './TaskPanel';

const task = {
  task_id: 'load', state: 'success', try_number: 1, max_tries: 1, exit_code: 0, start_date: null, end_date: null,
  duration_ms: 5, reason: null, next_retry_at: null, outputs: {}, pool: 'default_pool', queue: 'default', priority: 0,
};

// jsdom lays nothing out, so it has no scrolling; the log view scrolls to its end.
HTMLElement.prototype.scrollTo ??= () => {};

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

/** Answers the API by path: the run lists its tasks without commands, the task's own answer has the rendered one. */
function serve(renderedCommand: string | null) {
  return vi.spyOn(globalThis, 'fetch').mockImplementation(async (input) => {
    const url = String(input);
    const body =
      url.endsWith('/taskInstances/load') ? { ...task, rendered_command: renderedCommand }
      : url.includes('/attempts') ? { attempts: [], total_entries: 0 }
      : url.includes('/logs/') ? 'loaded'
      : { dag_id: 'etl', run_id: 'r1', state: 'success', tasks: [{ ...task, rendered_command: null }] };
    return new Response(typeof body === 'string' ? body : JSON.stringify(body), { status: 200 });
  });
}

describe('TaskPanel', () => {
  it('shows the command as rendered for the try, secrets as the server masked them', async () => {
    const fetch = serve("curl -H 'Authorization: Bearer ***' https://api.example.com/load?day=2024-01-01");
    render(<QueryClientProvider client={new QueryClient()}><TaskPanel dagId="etl" runId="r1" taskId="load" onClose={() => {}} /></QueryClientProvider>);

    const command = await screen.findByLabelText('Command');
    expect(command.textContent).toBe("curl -H 'Authorization: Bearer ***' https://api.example.com/load?day=2024-01-01");
    expect(fetch.mock.calls.map(([u]) => String(u))).toContain('/api/v1/dags/etl/dagRuns/r1/taskInstances/load');
  });

  it('shows no command section for a task without one', async () => {
    serve(null);
    render(<QueryClientProvider client={new QueryClient()}><TaskPanel dagId="etl" runId="r1" taskId="load" onClose={() => {}} /></QueryClientProvider>);

    await screen.findByText('1 of 1');
    expect(screen.queryByLabelText('Command')).toBeNull();
  });
});

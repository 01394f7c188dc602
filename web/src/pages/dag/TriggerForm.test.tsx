import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { TriggerForm } from './TriggerForm';
import type { Dag } from '../../api/client';

const dag = { dag_id: 'etl', params: { date: '2024-01-01', count: 5, dry: false }, tasks: [] } as unknown as Dag;

afterEach(() => {
  cleanup();
  vi.restoreAllMocks();
});

describe('TriggerForm', () => {
  it('shows a field per param holding its default, and sends the values typed as the defaults are', async () => {
    const fetch = vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(JSON.stringify({ run_id: 'r1' }), { status: 201 }));
    const done = vi.fn();
    render(<QueryClientProvider client={new QueryClient()}><TriggerForm dag={dag} onDone={done} onCancel={() => {}} /></QueryClientProvider>);
    expect((screen.getByRole('textbox', { name: 'date' }) as HTMLInputElement).value).toBe('2024-01-01');
    const count = screen.getByRole('spinbutton', { name: 'count' }) as HTMLInputElement;
    expect(count.value).toBe('5');
    fireEvent.change(count, { target: { value: '7' } });
    fireEvent.click(screen.getByRole('checkbox', { name: 'dry' }));
    fireEvent.click(screen.getByRole('button', { name: 'Trigger run' }));
    await waitFor(() => expect(done).toHaveBeenCalled());
    const [url, init] = fetch.mock.calls[0] as [string, RequestInit];
    expect(url).toBe('/api/v1/dags/etl/dagRuns');
    expect(JSON.parse(init.body as string)).toEqual({ conf: { date: '2024-01-01', count: 7, dry: true } });
  });

  it('says why the server refused', async () => {
    vi.spyOn(globalThis, 'fetch').mockResolvedValue(new Response(JSON.stringify({ title: 'Forbidden', detail: 'needs operator' }), { status: 403 }));
    render(<QueryClientProvider client={new QueryClient()}><TriggerForm dag={dag} onDone={() => {}} onCancel={() => {}} /></QueryClientProvider>);
    fireEvent.click(screen.getByRole('button', { name: 'Trigger run' }));
    expect((await screen.findByRole('alert')).textContent).toContain('needs operator');
  });
});

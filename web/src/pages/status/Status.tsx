import { useRef } from 'react';
import { useQuery } from '@tanstack/react-query';
import { useVirtualizer } from '@tanstack/react-virtual';
import { api, type EventCollection, type PoolCollection, type WorkerCollection } from '../../api/client';
import { formatDate } from '../../components/time';

export function Pools() {
  const pools = useQuery({ queryKey: ['pools'], queryFn: () => api<PoolCollection>('/api/v1/pools?limit=1000'), refetchInterval: 5000 });
  return (
    <section>
      <h1>Pools</h1>
      <table className="table">
        <thead><tr><th>Pool</th><th>Slots</th><th>Occupied</th><th>Open</th></tr></thead>
        <tbody>
          {pools.data?.pools.map((p) => (
            <tr key={p.name}><td>{p.name}</td><td>{p.slots}</td><td>{p.occupied_slots}</td><td>{p.open_slots}</td></tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function Workers() {
  const workers = useQuery({ queryKey: ['workers'], queryFn: () => api<WorkerCollection>('/api/v1/workers'), refetchInterval: 5000 });
  return (
    <section>
      <h1>Workers</h1>
      <table className="table">
        <thead><tr><th>Name</th><th>Kind</th><th>Queues</th><th>Active runs</th><th>Heartbeat</th><th>Host</th></tr></thead>
        <tbody>
          {workers.data?.workers.map((w) => (
            <tr key={w.name}>
              <td>{w.name}</td><td>{w.kind}</td><td>{w.queues.join(', ')}</td><td>{w.active_runs}</td>
              <td>{formatDate(w.latest_heartbeat)}</td><td>{w.host}{w.pid ? ` (pid ${w.pid})` : ''}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

/** Audit events and SLA misses, newest first, virtualized. */
export function Events() {
  const events = useQuery({ queryKey: ['events'], queryFn: () => api<EventCollection>('/api/v1/events?limit=1000'), refetchInterval: 5000 });
  const list = events.data?.events ?? [];
  const parent = useRef<HTMLDivElement>(null);
  const rows = useVirtualizer({ count: list.length, getScrollElement: () => parent.current, estimateSize: () => 30, overscan: 10 });
  return (
    <section>
      <h1>Events</h1>
      <div ref={parent} className="scroll" role="table" aria-label="Events">
        <div style={{ height: rows.getTotalSize(), position: 'relative' }}>
          {rows.getVirtualItems().map((v) => {
            const e = list[v.index];
            return (
              <div key={e.id} role="row" className={`event-row kind-${e.kind}`} style={{ position: 'absolute', top: 0, transform: `translateY(${v.start}px)`, height: v.size, width: '100%' }}>
                <span>{formatDate(e.when)}</span>
                <span className="tag">{e.kind}</span>
                <span>{[e.dag_id, e.run_id, e.task_id].filter(Boolean).join(' / ')}</span>
                <span>{e.message}</span>
              </div>
            );
          })}
        </div>
      </div>
    </section>
  );
}

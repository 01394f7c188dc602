import { useEffect, useRef, useState } from 'react';
import { apiText, enc } from '../../api/client';
import { readSse } from '../../api/sse';

/** An attempt's log: read whole when the attempt is over, followed line by line (server-sent events) while it runs. */
export function LogView({ dagId, runId, taskId, tryNumber, running }: { dagId: string; runId: string; taskId: string; tryNumber: number; running: boolean }) {
  const [lines, setLines] = useState<string[]>([]);
  const [status, setStatus] = useState('loading');
  const box = useRef<HTMLPreElement>(null);
  useEffect(() => {
    const abort = new AbortController();
    const url = `/api/v1/dags/${enc(dagId)}/dagRuns/${enc(runId)}/taskInstances/${enc(taskId)}/logs/${tryNumber}`;
    setLines([]);
    if (running) {
      setStatus('following');
      const buffer: string[] = [];
      readSse(url + '?follow=true', (m) => {
        if (m.event === 'end') setStatus(`ended: ${m.data}`);
        else {
          buffer.push(m.data);
          setLines([...buffer]);
        }
      }, abort.signal).catch(() => !abort.signal.aborted && setStatus('stream lost'));
    } else {
      apiText(url, abort.signal)
        .then((text) => {
          setLines(text.split('\n').filter((l, i, all) => l !== '' || i < all.length - 1));
          setStatus('complete');
        })
        .catch((e: Error) => !abort.signal.aborted && setStatus(e.message));
    }
    return () => abort.abort();
  }, [dagId, runId, taskId, tryNumber, running]);
  useEffect(() => {
    box.current?.scrollTo({ top: box.current.scrollHeight });
  }, [lines]);
  return (
    <div>
      <div className="muted small" aria-live="polite">log of try {tryNumber} · {status}</div>
      <pre ref={box} className="log" data-testid="log" tabIndex={0} aria-label="Task log">{lines.join('\n')}</pre>
    </div>
  );
}

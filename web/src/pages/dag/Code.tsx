import { useQuery } from '@tanstack/react-query';
import { api, enc, type DagSource } from '../../api/client';

/** The DAG's file as registered; secrets appear only as their ${{ secrets.NAME }} references. */
export function Code({ dagId }: { dagId: string }) {
  const source = useQuery({ queryKey: ['source', dagId], queryFn: () => api<DagSource>(`/api/v1/dags/${enc(dagId)}/source`) });
  return (
    <div>
      <p className="muted small">{source.data?.file_location}</p>
      <pre className="code" tabIndex={0} aria-label="DAG source">{source.data?.content ?? '…'}</pre>
    </div>
  );
}

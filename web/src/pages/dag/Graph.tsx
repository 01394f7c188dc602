import { memo, useEffect, useMemo, useState } from 'react';
import { ReactFlow, Background, Controls, Handle, Position as Side, type Edge, type Node, type NodeProps } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import type { Dag } from '../../api/client';
import { STATE_SYMBOL, stateLabel } from '../../api/states';
import { ELK_LIMIT, layout, NODE_H, NODE_W, type Position } from './layout';
import { workerElk } from './elk';

type TaskNode = Node<{ label: string; state: string; selected: boolean }, 'task'>;

const TaskBox = memo(function TaskBox({ data }: NodeProps<TaskNode>) {
  return (
    <div className={`graph-node s-${data.state} ${data.selected ? 'sel' : ''}`} style={{ width: NODE_W, height: NODE_H }}
      title={`${data.label}: ${stateLabel(data.state)}`} data-task={data.label} data-state={data.state}>
      <Handle type="target" position={Side.Left} isConnectable={false} />
      <span className="graph-symbol" aria-hidden="true">{STATE_SYMBOL[data.state]}</span>
      <span className="graph-label">{data.label}</span>
      <span className="sr-only">{stateLabel(data.state)}</span>
      <Handle type="source" position={Side.Right} isConnectable={false} />
    </div>
  );
});

const nodeTypes = { task: TaskBox };

/** The DAG laid out left to right, each task showing its state in the selected run; states change live. */
export function Graph({ dag, states, selectedTask, onSelect }: {
  dag: Dag;
  states: Map<string, string>;
  selectedTask?: string;
  onSelect: (taskId: string) => void;
}) {
  const [positions, setPositions] = useState<Map<string, Position>>();
  useEffect(() => {
    let live = true;
    performance.mark('weft-graph-data');
    void layout(dag.tasks, workerElk).then((p) => live && setPositions(p));
    return () => {
      live = false;
    };
  }, [dag.tasks]);

  const edges = useMemo<Edge[]>(
    () => dag.tasks.flatMap((t) => t.depends_on.map((d) => ({ id: `${d}->${t.task_id}`, source: d, target: t.task_id, type: 'straight' }))),
    [dag.tasks],
  );
  const nodes = useMemo<TaskNode[]>(
    () => positions
      ? dag.tasks.map((t) => ({
        id: t.task_id,
        type: 'task',
        position: positions.get(t.task_id) ?? { x: 0, y: 0 },
        data: { label: t.task_id, state: states.get(t.task_id) ?? 'none', selected: t.task_id === selectedTask },
        draggable: false,
        connectable: false,
      }))
      : [],
    [dag.tasks, positions, states, selectedTask],
  );

  useEffect(() => {
    if (positions) {
      requestAnimationFrame(() => {
        performance.mark('weft-graph-ready');
        document.querySelector('[data-testid=graph]')?.setAttribute('data-ready', 'true');
      });
    }
  }, [positions]);

  if (!positions) return <p className="muted" data-testid="graph-loading">Laying out {dag.tasks.length} tasks…</p>;
  return (
    <div className="graph" data-testid="graph" aria-label={`Graph of ${dag.tasks.length} tasks`}>
      <ReactFlow nodes={nodes} edges={edges} nodeTypes={nodeTypes} onlyRenderVisibleElements
        // A big graph opens at its start at a readable zoom: fitting it all would draw every node and edge at once.
        fitView={dag.tasks.length <= ELK_LIMIT} fitViewOptions={{ maxZoom: 1 }} defaultViewport={{ x: 20, y: 20, zoom: 0.8 }} minZoom={0.05}
        nodesDraggable={false} nodesConnectable={false} onNodeClick={(_, n) => onSelect(n.id)} proOptions={{ hideAttribution: true }}>
        <Background />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

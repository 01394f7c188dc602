import type { ElkNode } from 'elkjs/lib/elk-api';

export interface LayoutTask {
  task_id: string;
  depends_on: readonly string[];
}

export interface Position {
  x: number;
  y: number;
}

export const NODE_W = 170;
export const NODE_H = 38;

/** Above this many tasks ELK's crossing minimisation takes most of a second; a plain layering takes milliseconds. */
export const ELK_LIMIT = 300;

interface ElkLike {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** Left-to-right layers: ELK's layered algorithm for graphs up to ELK_LIMIT tasks, a longest-path layering beyond. */
export async function layout(tasks: readonly LayoutTask[], elk: () => Promise<ElkLike>): Promise<Map<string, Position>> {
  if (tasks.length > ELK_LIMIT) return layerLayout(tasks);
  const ids = new Set(tasks.map((t) => t.task_id));
  const graph: ElkNode = {
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      'elk.layered.spacing.nodeNodeBetweenLayers': '48',
      'elk.spacing.nodeNode': '14',
    },
    children: tasks.map((t) => ({ id: t.task_id, width: NODE_W, height: NODE_H })),
    edges: tasks.flatMap((t) => t.depends_on.filter((d) => ids.has(d)).map((d) => ({ id: `${d}->${t.task_id}`, sources: [d], targets: [t.task_id] }))),
  };
  const result = await (await elk()).layout(graph);
  return new Map((result.children ?? []).map((c) => [c.id, { x: c.x ?? 0, y: c.y ?? 0 }]));
}

/** Each task one layer right of its deepest upstream; within a layer, ordered by the mean row of its upstreams. */
export function layerLayout(tasks: readonly LayoutTask[]): Map<string, Position> {
  const byId = new Map(tasks.map((t) => [t.task_id, t]));
  const layer = new Map<string, number>();
  const visiting = new Set<string>();
  const depth = (id: string): number => {
    const known = layer.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return 0;
    visiting.add(id);
    const t = byId.get(id);
    let d = 0;
    for (const up of t?.depends_on ?? []) if (byId.has(up)) d = Math.max(d, depth(up) + 1);
    visiting.delete(id);
    layer.set(id, d);
    return d;
  };
  const layers: string[][] = [];
  for (const t of tasks) (layers[depth(t.task_id)] ??= []).push(t.task_id);
  const row = new Map<string, number>();
  const positions = new Map<string, Position>();
  layers.forEach((ids, l) => {
    const key = (id: string) => {
      const ups = byId.get(id)!.depends_on.filter((u) => row.has(u));
      return ups.length ? ups.reduce((s, u) => s + row.get(u)!, 0) / ups.length : Number.MAX_SAFE_INTEGER;
    };
    const sorted = l === 0 ? ids : [...ids].sort((a, b) => key(a) - key(b));
    sorted.forEach((id, i) => {
      row.set(id, i);
      positions.set(id, { x: l * (NODE_W + 48), y: i * (NODE_H + 14) });
    });
  });
  return positions;
}

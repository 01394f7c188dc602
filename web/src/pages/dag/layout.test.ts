import { describe, expect, it } from 'vitest';
import ELK from 'elkjs/lib/elk.bundled.js';
import { layerLayout, layout } from './layout';

const chain = (n: number) => Array.from({ length: n }, (_, i) => ({ task_id: `t${i}`, depends_on: i === 0 ? [] : [`t${Math.floor((i - 1) / 2)}`] }));

describe('layout', () => {
  it('puts every task right of its upstream tasks, with ELK for small graphs', async () => {
    const tasks = chain(15);
    const p = await layout(tasks, async () => new ELK());
    for (const t of tasks) for (const up of t.depends_on) expect(p.get(t.task_id)!.x).toBeGreaterThan(p.get(up)!.x);
  });

  it('lays out 1,000 tasks in layers in well under a second, no two tasks on one spot', () => {
    const tasks = chain(1000);
    const start = performance.now();
    const p = layerLayout(tasks);
    expect(performance.now() - start).toBeLessThan(200);
    expect(new Set([...p.values()].map((v) => `${v.x},${v.y}`)).size).toBe(1000);
    for (const t of tasks) for (const up of t.depends_on) expect(p.get(t.task_id)!.x).toBeGreaterThan(p.get(up)!.x);
  });
});

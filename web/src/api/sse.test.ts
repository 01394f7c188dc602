import { describe, expect, it } from 'vitest';
import { parseSse } from './sse';

describe('parseSse', () => {
  it('splits events, joins data lines and keeps an unfinished event for later', () => {
    const { messages, rest } = parseSse('event: ready\ndata: {}\n\nevent: task\ndata: {"a":1}\n\ndata: line 1\ndata: line 2\n\nevent: run\ndata: {"b"');
    expect(messages).toEqual([
      { event: 'ready', data: '{}' },
      { event: 'task', data: '{"a":1}' },
      { event: 'message', data: 'line 1\nline 2' },
    ]);
    expect(rest).toBe('event: run\ndata: {"b"');
  });
});

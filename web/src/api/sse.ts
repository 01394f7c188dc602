import { authHeaders } from './client';

export interface SseMessage {
  event: string;
  data: string;
}

/** Splits a server-sent events stream into messages; keeps what is left of an unfinished one. */
export function parseSse(buffer: string): { messages: SseMessage[]; rest: string } {
  const messages: SseMessage[] = [];
  const blocks = buffer.split(/\r?\n\r?\n/);
  const rest = blocks.pop() ?? '';
  for (const block of blocks) {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (line.startsWith('event:')) event = line.slice(6).trim();
      else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
    }
    if (data.length > 0) messages.push({ event, data: data.join('\n') });
  }
  return { messages, rest };
}

/**
 * Reads a server-sent events endpoint with fetch, so the token goes in the Authorization header and never in a URL
 * (EventSource cannot send headers). Resolves when the stream ends; rejects on a network error.
 */
export async function readSse(url: string, onMessage: (m: SseMessage) => void, signal: AbortSignal): Promise<void> {
  const response = await fetch(url, { headers: { Accept: 'text/event-stream', ...authHeaders() }, signal });
  if (!response.ok || !response.body) throw new Error(`${response.status}`);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    const parsed = parseSse(buffer + value);
    buffer = parsed.rest;
    parsed.messages.forEach(onMessage);
  }
}

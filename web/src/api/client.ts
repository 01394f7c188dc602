import type { components } from './schema';
import { getToken } from './auth';

export type Schemas = components['schemas'];
export type Dag = Schemas['DagResponse'];
export type DagCollection = Schemas['DagCollection'];
export type DagRun = Schemas['DagRunResponse'];
export type DagRunCollection = Schemas['DagRunCollection'];
export type TaskInstance = Schemas['TaskInstanceResponse'];
export type Grid = Schemas['GridResponse'];
export type GridRun = Schemas['GridRunResponse'];
export type LifecycleEvent = Schemas['LifecycleEventResponse'];
export type Attempt = Schemas['AttemptResponse'];
export type AttemptCollection = Schemas['AttemptCollection'];
export type PoolCollection = Schemas['PoolCollection'];
export type WorkerCollection = Schemas['WorkerCollection'];
export type EventCollection = Schemas['EventCollection'];
export type DagSource = Schemas['DagSourceResponse'];
export type ClearResponse = Schemas['ClearResponse'];

/** An answer other than 2xx: the problem details' title and detail, and the status. */
export class ApiError extends Error {
  constructor(public readonly status: number, message: string) {
    super(message);
  }
}

export function authHeaders(): Record<string, string> {
  const token = getToken();
  return token ? { Authorization: `Bearer ${token}` } : {};
}

/** The one way the UI calls the API: JSON in, JSON out, the token in the Authorization header. */
export async function api<T>(path: string, init: { method?: string; body?: unknown; signal?: AbortSignal } = {}): Promise<T> {
  const response = await fetch(path, {
    method: init.method ?? 'GET',
    signal: init.signal,
    headers: { Accept: 'application/json', ...(init.body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...authHeaders() },
    body: init.body !== undefined ? JSON.stringify(init.body) : undefined,
  });
  if (!response.ok) {
    let message = `${response.status} ${response.statusText}`;
    try {
      const problem = (await response.json()) as { title?: string; detail?: string };
      message = problem.detail ?? problem.title ?? message;
    } catch {
      // not JSON
    }
    throw new ApiError(response.status, message);
  }
  if (response.status === 204) return undefined as T;
  return (await response.json()) as T;
}

export async function apiText(path: string, signal?: AbortSignal): Promise<string> {
  const response = await fetch(path, { headers: authHeaders(), signal });
  if (!response.ok) throw new ApiError(response.status, `${response.status} ${response.statusText}`);
  return response.text();
}

export const enc = encodeURIComponent;

// Every state has a symbol and a name besides its colour, so none is told by colour alone.
export const STATE_SYMBOL: Record<string, string> = {
  none: '·',
  scheduled: '◷',
  queued: 'Q',
  running: '▶',
  success: '✓',
  failed: '✗',
  up_for_retry: '↻',
  upstream_failed: '⊘',
  skipped: '»',
};

export function stateLabel(state: string): string {
  return state.replace(/_/g, ' ');
}

export const FINISHED = new Set(['success', 'failed', 'skipped', 'upstream_failed']);

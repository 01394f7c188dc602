import { STATE_SYMBOL, stateLabel } from '../api/states';

/** A state as colour, symbol and (unless compact) its name; screen readers hear the name. */
export function StateBadge({ state, compact = false }: { state: string; compact?: boolean }) {
  return (
    <span className={`badge s-${state}`} title={stateLabel(state)} aria-label={stateLabel(state)} data-state={state}>
      <span aria-hidden="true">{STATE_SYMBOL[state] ?? '?'}</span>
      {!compact && <span className="badge-name">{stateLabel(state)}</span>}
    </span>
  );
}

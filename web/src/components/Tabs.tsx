import type { KeyboardEvent } from 'react';

/** A tab list: arrow keys move between tabs, as WAI-ARIA describes. */
export function Tabs<T extends string>({ tabs, value, onChange, label }: { tabs: readonly T[]; value: T; onChange: (t: T) => void; label: string }) {
  const onKey = (e: KeyboardEvent) => {
    const i = tabs.indexOf(value);
    if (e.key === 'ArrowRight' || e.key === 'ArrowLeft') {
      const next = tabs[(i + (e.key === 'ArrowRight' ? 1 : tabs.length - 1)) % tabs.length];
      onChange(next);
      (document.getElementById(`tab-${next}`) as HTMLElement | null)?.focus();
      e.preventDefault();
    }
  };
  return (
    <div role="tablist" aria-label={label} className="tabs" onKeyDown={onKey}>
      {tabs.map((t) => (
        <button key={t} id={`tab-${t}`} role="tab" aria-selected={t === value} tabIndex={t === value ? 0 : -1} onClick={() => onChange(t)}>
          {t}
        </button>
      ))}
    </div>
  );
}

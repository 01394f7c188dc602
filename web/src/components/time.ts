export function formatDate(iso?: string | null): string {
  if (!iso) return '–';
  const d = new Date(iso);
  return d.toISOString().replace('T', ' ').slice(0, 19);
}

export function formatDuration(ms?: number | null): string {
  if (ms == null) return '–';
  if (ms < 1000) return `${ms} ms`;
  const s = ms / 1000;
  if (s < 60) return `${s.toFixed(1)} s`;
  const m = Math.floor(s / 60);
  return `${m} m ${Math.round(s % 60)} s`;
}

/** A schedule in words, for the common forms; anything else is shown as written. */
export function scheduleInWords(schedule?: string | null): string {
  if (!schedule) return 'manual only';
  const words: Record<string, string> = {
    '@once': 'once',
    '@hourly': 'every hour',
    '@daily': 'every day at midnight',
    '@weekly': 'every Sunday at midnight',
    '@monthly': 'on the 1st of every month',
    '@yearly': 'every 1 January',
  };
  if (words[schedule]) return words[schedule];
  const every = /^every\s+(\d+)\s*([smhd])$/.exec(schedule);
  if (every) return `every ${every[1]} ${{ s: 'seconds', m: 'minutes', h: 'hours', d: 'days' }[every[2] as 's' | 'm' | 'h' | 'd']}`;
  const cron = /^(\d+) (\d+) \* \* \*$/.exec(schedule);
  if (cron) return `every day at ${cron[2].padStart(2, '0')}:${cron[1].padStart(2, '0')}`;
  return schedule;
}

/** When a DAG runs next, as "in 3 h 20 m (2026-12-07 02:30:00 UTC)"; empty for none. */
export function nextRunText(iso?: string | null, now: Date = new Date()): string {
  if (!iso) return '';
  const ms = new Date(iso).getTime() - now.getTime();
  const min = Math.round(ms / 60000);
  const when =
    ms <= 0 ? 'due now'
    : min < 1 ? 'in under a minute'
    : min < 60 ? `in ${min} m`
    : min < 48 * 60 ? `in ${Math.floor(min / 60)} h ${min % 60} m`
    : `in ${Math.round(min / 1440)} days`;
  return `${when} (${formatDate(iso)} UTC)`;
}

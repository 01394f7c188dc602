import { describe, expect, it } from 'vitest';
import { nextRunText } from './time';

describe('nextRunText', () => {
  const now = new Date('2026-12-06T23:10:00Z');

  it('tells how long until the next run and when it is, in UTC', () => {
    expect(nextRunText('2026-12-07T02:30:00Z', now)).toBe('in 3 h 20 m (2026-12-07 02:30:00 UTC)');
    expect(nextRunText('2026-12-06T23:55:00Z', now)).toBe('in 45 m (2026-12-06 23:55:00 UTC)');
    expect(nextRunText('2027-01-01T00:00:00Z', now)).toBe('in 25 days (2027-01-01 00:00:00 UTC)');
  });

  it('says a run whose time has passed is due, and nothing for a DAG without one', () => {
    expect(nextRunText('2026-12-06T23:00:00Z', now)).toBe('due now (2026-12-06 23:00:00 UTC)');
    expect(nextRunText(null, now)).toBe('');
  });
});

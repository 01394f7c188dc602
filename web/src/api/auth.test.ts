import { describe, expect, it } from 'vitest';
import { takeTokenFromUrl } from './auth';

describe('takeTokenFromUrl', () => {
  it('moves the token from the fragment to storage and out of the address bar', () => {
    history.replaceState(null, '', '/#token=weft_abc-123');
    takeTokenFromUrl(location, history, localStorage);
    expect(localStorage.getItem('weft.token')).toBe('weft_abc-123');
    expect(location.href).not.toContain('weft_abc');
    expect(location.hash).toBe('#/');
  });
});

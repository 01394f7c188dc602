import { describe, expect, it } from 'vitest';
import { render } from '@testing-library/react';
import { StateBadge } from './StateBadge';

describe('StateBadge', () => {
  it('carries a symbol and a name for each state, not only a colour', () => {
    const { container } = render(<><StateBadge state="success" /><StateBadge state="upstream_failed" compact /></>);
    const [ok, up] = container.querySelectorAll('.badge');
    expect(ok.textContent).toContain('✓');
    expect(ok.textContent).toContain('success');
    expect(up.getAttribute('aria-label')).toBe('upstream failed');
    expect(up.textContent).toBe('⊘');
  });
});

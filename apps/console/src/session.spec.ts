import { describe, expect, it } from 'vitest';
import { clearSession, loadSession, saveSession } from './session';

describe('the signed-in key', () => {
  it('is kept in sessionStorage only, and cleared on sign-out', () => {
    saveSession({ role: 'project', key: 'mk_live_x' });
    expect(loadSession()).toEqual({ role: 'project', key: 'mk_live_x' });
    expect(localStorage.length).toBe(0);
    clearSession();
    expect(loadSession()).toBeNull();
  });

  it('treats a damaged entry as signed out', () => {
    sessionStorage.setItem('munja.console.session', '{"role":"admin","key":1}');
    expect(loadSession()).toBeNull();
    sessionStorage.setItem('munja.console.session', 'not json');
    expect(loadSession()).toBeNull();
  });
});

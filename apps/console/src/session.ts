// The key someone signs in with lives in sessionStorage only: it is gone when the tab closes, and is never
// written to localStorage, a cookie or the URL.

export type Role = 'project' | 'operator';

export interface Session {
  role: Role;
  key: string;
}

const STORAGE_KEY = 'munja.console.session';

export function loadSession(storage: Storage = sessionStorage): Session | null {
  const raw = storage.getItem(STORAGE_KEY);
  if (!raw) return null;
  try {
    const parsed = JSON.parse(raw) as Partial<Session>;
    if ((parsed.role === 'project' || parsed.role === 'operator') && typeof parsed.key === 'string') {
      return { role: parsed.role, key: parsed.key };
    }
  } catch {
    // a damaged entry is treated as signed out
  }
  return null;
}

export function saveSession(session: Session, storage: Storage = sessionStorage): void {
  storage.setItem(STORAGE_KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage = sessionStorage): void {
  storage.removeItem(STORAGE_KEY);
}

import { useEffect, useState } from 'react';
import type { MessageKey } from './messages';

// Pages are addressed by the URL's hash (#/history): the server serves one index.html for the whole console.
export const PROJECT_PAGES = [
  'compose',
  'history',
  'reservations',
  'schedules',
  'calling-numbers',
  'opt-out',
  'webhooks',
  'keys',
] as const;
export type ProjectPage = (typeof PROJECT_PAGES)[number];

export const PAGE_TITLES: Record<ProjectPage, MessageKey> = {
  compose: 'nav.compose',
  history: 'nav.history',
  reservations: 'nav.reservations',
  schedules: 'nav.schedules',
  'calling-numbers': 'nav.callingNumbers',
  'opt-out': 'nav.optOut',
  webhooks: 'nav.webhooks',
  keys: 'nav.keys',
};

function currentPage(): ProjectPage {
  const name = window.location.hash.replace(/^#\/?/, '');
  return (PROJECT_PAGES as readonly string[]).includes(name) ? (name as ProjectPage) : 'compose';
}

export function useHashPage(): [ProjectPage, (page: ProjectPage) => void] {
  const [page, setPage] = useState<ProjectPage>(currentPage);
  useEffect(() => {
    const onChange = () => setPage(currentPage());
    window.addEventListener('hashchange', onChange);
    return () => window.removeEventListener('hashchange', onChange);
  }, []);
  return [page, (next) => (window.location.hash = `#/${next}`)];
}

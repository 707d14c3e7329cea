import {
  AppShell,
  Burger,
  Button,
  Group,
  Loader,
  NavLink,
  SegmentedControl,
  Text,
  Title,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQueryClient } from '@tanstack/react-query';
import { lazy, Suspense, useMemo, useState } from 'react';
import { createApi } from './api/client';
import { ApiProvider } from './api/context';
import { useLanguage, useT } from './i18n';
import { ComposePage } from './pages/ComposePage';
import { SignInPage } from './pages/SignInPage';
import { PAGE_TITLES, PROJECT_PAGES, useHashPage, type ProjectPage } from './routes';
import { clearSession, loadSession, saveSession, type Session } from './session';

// Compose (the first page) comes with the first script; the other pages load when opened.
const HistoryPage = lazy(() => import('./pages/HistoryPage').then((m) => ({ default: m.HistoryPage })));
const ReservationsPage = lazy(() =>
  import('./pages/ReservationsPage').then((m) => ({ default: m.ReservationsPage })),
);
const SchedulesPage = lazy(() => import('./pages/SchedulesPage').then((m) => ({ default: m.SchedulesPage })));
const CallingNumbersPage = lazy(() =>
  import('./pages/CallingNumbersPage').then((m) => ({ default: m.CallingNumbersPage })),
);
const OptOutPage = lazy(() => import('./pages/OptOutPage').then((m) => ({ default: m.OptOutPage })));
const WebhooksPage = lazy(() => import('./pages/WebhooksPage').then((m) => ({ default: m.WebhooksPage })));
const KeysPage = lazy(() => import('./pages/KeysPage').then((m) => ({ default: m.KeysPage })));
const OperatorPage = lazy(() => import('./pages/OperatorPage').then((m) => ({ default: m.OperatorPage })));

function LanguageSwitch() {
  const { language, setLanguage } = useLanguage();
  const t = useT();
  return (
    <SegmentedControl
      size="xs"
      aria-label={t('language.label')}
      value={language}
      onChange={(value) => setLanguage(value as 'ko' | 'en')}
      data={[
        { value: 'ko', label: '한국어' },
        { value: 'en', label: 'English' },
      ]}
    />
  );
}

function ProjectPageView({ page }: { page: ProjectPage }) {
  switch (page) {
    case 'compose':
      return <ComposePage />;
    case 'history':
      return <HistoryPage />;
    case 'reservations':
      return <ReservationsPage />;
    case 'schedules':
      return <SchedulesPage />;
    case 'calling-numbers':
      return <CallingNumbersPage />;
    case 'opt-out':
      return <OptOutPage />;
    case 'webhooks':
      return <WebhooksPage />;
    case 'keys':
      return <KeysPage />;
  }
}

export function App() {
  const t = useT();
  const queryClient = useQueryClient();
  const [session, setSession] = useState<Session | null>(loadSession);
  const [page, goTo] = useHashPage();
  const [opened, { toggle, close }] = useDisclosure();
  const api = useMemo(() => (session ? createApi({ key: session.key }) : null), [session]);

  const signIn = (next: Session) => {
    saveSession(next);
    setSession(next);
  };
  const signOut = () => {
    clearSession();
    queryClient.clear();
    setSession(null);
  };

  if (!session || !api) {
    return (
      <>
        <Group justify="flex-end" p="sm">
          <LanguageSwitch />
        </Group>
        <SignInPage onSignedIn={signIn} />
      </>
    );
  }

  return (
    <ApiProvider api={api}>
      <AppShell
        header={{ height: 56 }}
        navbar={
          session.role === 'project'
            ? { width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }
            : undefined
        }
        padding="md"
      >
        <AppShell.Header>
          <Group h="100%" px="md" justify="space-between">
            <Group>
              {session.role === 'project' && (
                <Burger
                  opened={opened}
                  onClick={toggle}
                  hiddenFrom="sm"
                  size="sm"
                  aria-label={t('nav.menu')}
                />
              )}
              <Title order={1} size="h3">
                {t('app.title')}
              </Title>
              <Text size="sm" c="dimmed">
                {session.role === 'operator' ? t('signIn.operator') : t('signIn.project')}
              </Text>
            </Group>
            <Group>
              <LanguageSwitch />
              <Button variant="default" size="xs" onClick={signOut}>
                {t('signOut')}
              </Button>
            </Group>
          </Group>
        </AppShell.Header>
        {session.role === 'project' && (
          <AppShell.Navbar p="xs" aria-label={t('nav.label')} component="nav">
            {PROJECT_PAGES.map((name) => (
              <NavLink
                key={name}
                href={`#/${name}`}
                label={t(PAGE_TITLES[name])}
                active={page === name}
                aria-current={page === name ? 'page' : undefined}
                onClick={(event) => {
                  event.preventDefault();
                  goTo(name);
                  close();
                }}
              />
            ))}
          </AppShell.Navbar>
        )}
        <AppShell.Main>
          <Suspense fallback={<Loader aria-label={t('loading')} />}>
            {session.role === 'operator' ? <OperatorPage /> : <ProjectPageView page={page} />}
          </Suspense>
        </AppShell.Main>
      </AppShell>
    </ApiProvider>
  );
}

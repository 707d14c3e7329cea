import { Button, Container, Paper, PasswordInput, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useState, type FormEvent } from 'react';
import { createApi } from '../api/client';
import { ErrorNotice } from '../components/ErrorNotice';
import { useT } from '../i18n';
import type { Role, Session } from '../session';

/** Checks the key against the service before keeping it: a project key reads its project, the operator key
 * lists the projects. */
export function SignInPage({ onSignedIn }: { onSignedIn: (session: Session) => void }) {
  const t = useT();
  const [role, setRole] = useState<Role>('project');
  const [key, setKey] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    const api = createApi({ key: key.trim() });
    try {
      if (role === 'project') await api.project();
      else await api.projects();
      onSignedIn({ role, key: key.trim() });
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Container size={460} py="xl">
      <Title order={1} ta="center" mb="md">
        {t('app.title')}
      </Title>
      <Paper withBorder p="lg" radius="md" component="form" onSubmit={submit} aria-label={t('signIn.title')}>
        <Stack>
          <Title order={2} size="h4">
            {t('signIn.title')}
          </Title>
          <SegmentedControl
            aria-label={t('signIn.role')}
            value={role}
            onChange={(value) => setRole(value as Role)}
            data={[
              { value: 'project', label: t('signIn.project') },
              { value: 'operator', label: t('signIn.operator') },
            ]}
          />
          <PasswordInput
            label={role === 'project' ? t('signIn.projectKey') : t('signIn.operatorKey')}
            placeholder={role === 'project' ? 'mk_live_…' : 'mk_op_…'}
            value={key}
            onChange={(event) => setKey(event.currentTarget.value)}
            required
            autoComplete="off"
          />
          <Text size="xs" c="dimmed">
            {t('signIn.sessionOnly')}
          </Text>
          <ErrorNotice error={error} />
          <Button type="submit" loading={busy} disabled={!key.trim()}>
            {t('signIn.submit')}
          </Button>
        </Stack>
      </Paper>
    </Container>
  );
}

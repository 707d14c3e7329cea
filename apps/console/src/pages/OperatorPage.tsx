import {
  Alert,
  Badge,
  Button,
  Code,
  Grid,
  Group,
  NavLink,
  Paper,
  Stack,
  Table,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { orNullIfNotFound } from '../api/client';
import { useApi } from '../api/context';
import type { ApiKey, Project } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { OneFieldForm } from '../components/OneFieldForm';
import { formatTime } from '../components/format';
import { useLanguage, useT } from '../i18n';
import { STATUS_COLORS } from './CallingNumbersPage';

function ProjectKeys({ project }: { project: Project }) {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi();
  const client = useQueryClient();
  const [issued, setIssued] = useState<ApiKey | null>(null);
  const keys = useQuery({ queryKey: ['keys', project.id], queryFn: () => api.keys(project.id) });
  const refresh = () => client.invalidateQueries({ queryKey: ['keys', project.id] });
  const issue = useMutation({
    mutationFn: (name: string) => api.issueKey(project.id, name),
    onSuccess: async (key) => {
      setIssued(key);
      await refresh();
    },
  });
  const revoke = useMutation({
    mutationFn: (id: string) => api.revokeKey(project.id, id),
    onSuccess: refresh,
  });
  return (
    <Paper withBorder p="md" component="section" aria-label={t('operator.keys')}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('operator.keys')}
        </Title>
        <OneFieldForm
          label={t('operator.keyName')}
          submitLabel={t('operator.issueKey')}
          onSubmit={(name) => issue.mutateAsync(name)}
          pending={issue.isPending}
          required
        />
        {issued?.key && (
          <Alert color="blue" title={t('operator.keyOnce')}>
            <Code data-testid="issued-key">{issued.key}</Code>
          </Alert>
        )}
        <ErrorNotice error={keys.error ?? issue.error ?? revoke.error} />
        <Table>
          <Table.Tbody>
            {(keys.data?.items ?? []).map((key) => (
              <Table.Tr key={key.id}>
                <Table.Td>{key.name}</Table.Td>
                <Table.Td>
                  <Code>{key.prefix}…</Code>
                </Table.Td>
                <Table.Td>{formatTime(key.createdAt, language)}</Table.Td>
                <Table.Td>
                  {key.revokedAt ? (
                    <Badge color="gray">{t('operator.revoked')}</Badge>
                  ) : (
                    <Button
                      size="xs"
                      color="red"
                      variant="light"
                      onClick={() => revoke.mutate(key.id)}
                      aria-label={t('operator.revokeOne', { name: key.name })}
                    >
                      {t('operator.revoke')}
                    </Button>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

function ProjectNumbers({ project }: { project: Project }) {
  const t = useT();
  const api = useApi();
  const client = useQueryClient();
  const numbers = useQuery({
    queryKey: ['project-numbers', project.id],
    queryFn: () => api.projectCallingNumbers(project.id),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['project-numbers', project.id] });
  const approve = useMutation({
    mutationFn: (id: string) => api.approveCallingNumber(project.id, id),
    onSuccess: refresh,
  });
  const reject = useMutation({
    mutationFn: (id: string) => api.rejectCallingNumber(project.id, id),
    onSuccess: refresh,
  });
  return (
    <Paper withBorder p="md" component="section" aria-label={t('operator.numbers')}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('operator.numbers')}
        </Title>
        <ErrorNotice error={numbers.error ?? approve.error ?? reject.error} />
        <Table data-testid="operator-numbers">
          <Table.Tbody>
            {(numbers.data?.items ?? []).map((n) => (
              <Table.Tr key={n.id}>
                <Table.Td ff="monospace">{n.number}</Table.Td>
                <Table.Td>{n.method}</Table.Td>
                <Table.Td>
                  <Badge color={STATUS_COLORS[n.status]}>{n.status}</Badge>
                </Table.Td>
                <Table.Td>
                  {(n.status === 'READY' || n.status === 'IN-PROGRESS') && (
                    <Group gap="xs">
                      <Button
                        size="xs"
                        color="green"
                        onClick={() => approve.mutate(n.id)}
                        aria-label={t('operator.approveOne', { number: n.number })}
                      >
                        {t('operator.approve')}
                      </Button>
                      <Button
                        size="xs"
                        color="red"
                        variant="light"
                        onClick={() => reject.mutate(n.id)}
                        aria-label={t('operator.rejectOne', { number: n.number })}
                      >
                        {t('operator.reject')}
                      </Button>
                    </Group>
                  )}
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Paper>
  );
}

function ProjectOptOut({ project }: { project: Project }) {
  const t = useT();
  const api = useApi();
  const client = useQueryClient();
  const service = useQuery({
    queryKey: ['project-opt-out', project.id],
    queryFn: () => orNullIfNotFound(api.projectOptOutService(project.id)),
  });
  const complete = useMutation({
    mutationFn: (number080: string) => api.completeOptOutService(project.id, number080),
    onSuccess: () => client.invalidateQueries({ queryKey: ['project-opt-out', project.id] }),
  });
  const s = service.data;
  return (
    <Paper withBorder p="md" component="section" aria-label={t('operator.optOut')}>
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('operator.optOut')}
        </Title>
        <ErrorNotice error={service.error ?? complete.error} />
        {s ? (
          <Group>
            <Badge>{s.status}</Badge>
            <Text size="sm">
              {s.companyName} · {s.number080 ?? '—'}
            </Text>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t('optOut.none')}
          </Text>
        )}
        {s?.status === 'PROCESSING' && (
          <OneFieldForm
            label={t('operator.number080')}
            placeholder="080-123-4567"
            submitLabel={t('operator.complete')}
            onSubmit={(number080) => complete.mutateAsync(number080)}
            pending={complete.isPending}
          />
        )}
      </Stack>
    </Paper>
  );
}

export function OperatorPage() {
  const t = useT();
  const api = useApi();
  const client = useQueryClient();
  const [selected, setSelected] = useState<string | null>(null);
  const projects = useQuery({ queryKey: ['projects'], queryFn: () => api.projects() });
  const create = useMutation({
    mutationFn: (name: string) => api.createProject(name),
    onSuccess: async (project) => {
      setSelected(project.id);
      await client.invalidateQueries({ queryKey: ['projects'] });
    },
  });
  const items = projects.data?.items ?? [];
  const project = items.find((p) => p.id === selected) ?? items[0];
  return (
    <Stack>
      <Title order={2}>{t('operator.title')}</Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 3 }}>
          <Stack gap="xs">
            <OneFieldForm
              label={t('operator.newProject')}
              submitLabel={t('operator.create')}
              onSubmit={(name) => create.mutateAsync(name)}
              pending={create.isPending}
              required
            />
            <ErrorNotice error={projects.error ?? create.error} />
            <nav aria-label={t('operator.projects')}>
              {items.map((p) => (
                <NavLink
                  key={p.id}
                  label={p.name}
                  description={p.id.slice(0, 8)}
                  active={p.id === project?.id}
                  onClick={() => setSelected(p.id)}
                  component="button"
                />
              ))}
            </nav>
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 9 }}>
          {project && (
            <Stack>
              <Title order={3} size="h4">
                {project.name}
              </Title>
              <ProjectNumbers project={project} />
              <ProjectOptOut project={project} />
              <ProjectKeys project={project} />
            </Stack>
          )}
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

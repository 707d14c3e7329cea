import {
  Alert,
  Badge,
  Button,
  Checkbox,
  Code,
  Group,
  Paper,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/context';
import type { WebhookEndpoint } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { VirtualList } from '../components/VirtualList';
import { formatTime } from '../components/format';
import { useLanguage, useT } from '../i18n';

const EVENT_TYPES = ['message.status_changed', 'reservation.status_changed'];

export function WebhooksPage() {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi();
  const client = useQueryClient();
  const [url, setUrl] = useState('');
  const [types, setTypes] = useState<string[]>(EVENT_TYPES);
  const [created, setCreated] = useState<WebhookEndpoint | null>(null);
  const [endpointId, setEndpointId] = useState<string | undefined>();
  const endpoints = useQuery({ queryKey: ['webhooks'], queryFn: () => api.webhooks() });
  const deliveries = useInfiniteQuery({
    queryKey: ['deliveries', endpointId],
    queryFn: ({ pageParam }) => api.deliveries({ endpointId, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 5000,
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['webhooks'] });
  const create = useMutation({
    mutationFn: () => api.createWebhook({ url, eventTypes: types }),
    onSuccess: async (endpoint) => {
      setCreated(endpoint);
      setUrl('');
      await refresh();
    },
  });
  const toggle = useMutation({
    mutationFn: (e: WebhookEndpoint) => api.setWebhookEnabled(e.id, e.status !== 'ENABLED'),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (id: string) => api.deleteWebhook(id), onSuccess: refresh });
  // The test event goes through the ordinary delivery path: the log (refetched) shows its delivery.
  const sendTest = useMutation({
    mutationFn: (id: string) => api.sendTestEvent(id),
    onSuccess: () => client.invalidateQueries({ queryKey: ['deliveries'] }),
  });
  const log = deliveries.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Title order={2}>{t('nav.webhooks')}</Title>
      <Paper
        withBorder
        p="md"
        component="form"
        aria-label={t('webhooks.register')}
        onSubmit={(event) => {
          event.preventDefault();
          create.mutate();
        }}
      >
        <Stack>
          <TextInput
            label={t('webhooks.url')}
            placeholder="https://example.com/munja"
            value={url}
            onChange={(e) => setUrl(e.currentTarget.value)}
            required
            type="url"
          />
          <Checkbox.Group label={t('webhooks.events')} value={types} onChange={setTypes}>
            <Group mt={4}>
              {EVENT_TYPES.map((type) => (
                <Checkbox key={type} value={type} label={type} />
              ))}
            </Group>
          </Checkbox.Group>
          <Group>
            <Button type="submit" disabled={!url || types.length === 0} loading={create.isPending}>
              {t('webhooks.register')}
            </Button>
          </Group>
          {created?.secret && (
            <Alert color="blue" title={t('webhooks.secretOnce')}>
              <Code>{created.secret}</Code>
            </Alert>
          )}
        </Stack>
      </Paper>
      <ErrorNotice
        error={endpoints.error ?? create.error ?? toggle.error ?? remove.error ?? sendTest.error}
      />
      {sendTest.data && (
        <Alert color="green" data-testid="test-event-queued">
          {t('webhooks.testQueued', { eventId: sendTest.data.eventId })}
        </Alert>
      )}
      {(endpoints.data?.items ?? []).map((e) => (
        <Paper withBorder p="sm" key={e.id}>
          <Group justify="space-between">
            <Stack gap={0}>
              <Group gap="xs">
                <Badge color={e.status === 'ENABLED' ? 'green' : 'gray'}>{e.status}</Badge>
                <Text size="sm" ff="monospace">
                  {e.url}
                </Text>
              </Group>
              <Text size="xs" c="dimmed">
                {e.eventTypes.join(', ')} {e.disabledReason ? `· ${e.disabledReason}` : ''}
              </Text>
            </Stack>
            <Group>
              <Button
                size="xs"
                variant="default"
                onClick={() => setEndpointId(endpointId === e.id ? undefined : e.id)}
                aria-pressed={endpointId === e.id}
              >
                {t('webhooks.showLog')}
              </Button>
              <Button
                size="xs"
                variant="light"
                onClick={() => sendTest.mutate(e.id)}
                disabled={e.status !== 'ENABLED'}
                loading={sendTest.isPending && sendTest.variables === e.id}
                aria-label={t('webhooks.sendTestOne', { url: e.url })}
              >
                {t('webhooks.sendTest')}
              </Button>
              <Button size="xs" variant="light" onClick={() => toggle.mutate(e)}>
                {e.status === 'ENABLED' ? t('webhooks.disable') : t('webhooks.enable')}
              </Button>
              <Button
                size="xs"
                variant="light"
                color="red"
                onClick={() => remove.mutate(e.id)}
                aria-label={t('webhooks.deleteOne', { url: e.url })}
              >
                {t('webhooks.delete')}
              </Button>
            </Group>
          </Group>
        </Paper>
      ))}
      <Title order={3} size="h5">
        {t('webhooks.log')}
      </Title>
      <Text size="xs" c="dimmed">
        {t('webhooks.testHint')}
      </Text>
      <ErrorNotice error={deliveries.error} />
      {log.length === 0 ? (
        <Text c="dimmed">{t('empty')}</Text>
      ) : (
        <VirtualList
          items={log}
          label={t('webhooks.log')}
          height={400}
          rowHeight={40}
          onEnd={() => {
            if (deliveries.hasNextPage && !deliveries.isFetchingNextPage) void deliveries.fetchNextPage();
          }}
          testId="delivery-log"
          render={(d) => {
            const lastAttempt = d.attemptLog[d.attemptLog.length - 1];
            return (
              <Group gap="sm" px="xs" wrap="nowrap" data-testid="delivery">
                <Badge
                  size="sm"
                  color={d.status === 'DELIVERED' ? 'green' : d.status === 'FAILED' ? 'red' : 'blue'}
                >
                  {d.status}
                </Badge>
                <Text size="xs">{formatTime(d.createdAt, language)}</Text>
                <Text size="xs">{d.eventType}</Text>
                <Text size="xs" c="dimmed" truncate>
                  {t('webhooks.attempts', { count: d.attemptLog.length })}
                  {lastAttempt ? ` · ${lastAttempt.statusCode ?? ''} ${lastAttempt.error ?? ''}` : ''}
                </Text>
              </Group>
            );
          }}
        />
      )}
    </Stack>
  );
}

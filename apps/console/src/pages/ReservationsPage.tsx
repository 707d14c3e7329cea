import { Badge, Button, Group, Paper, Select, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/context';
import type { Reservation } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { VirtualList } from '../components/VirtualList';
import { formatTime } from '../components/format';
import { useLanguage, useT } from '../i18n';

const STATUSES = ['READY', 'PROCESSING', 'DONE', 'FAIL', 'CANCELED', 'STALE', 'SKIP'];

export function ReservationsPage() {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi();
  const client = useQueryClient();
  const [status, setStatus] = useState<string | null>(null);
  const query = useInfiniteQuery({
    queryKey: ['reservations', status],
    queryFn: ({ pageParam }) =>
      api.reservations({
        status: (status ?? undefined) as Reservation['status'] | undefined,
        cursor: pageParam,
        limit: 100,
      }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
  });
  const cancel = useMutation({
    mutationFn: (id: string) => api.cancelReservation(id),
    onSuccess: () => client.invalidateQueries({ queryKey: ['reservations'] }),
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  return (
    <Stack>
      <Title order={2}>{t('nav.reservations')}</Title>
      <Select
        label={t('history.status')}
        data={STATUSES}
        value={status}
        onChange={setStatus}
        clearable
        w={180}
      />
      <ErrorNotice error={query.error ?? cancel.error} />
      {items.length === 0 && !query.isLoading && <Text c="dimmed">{t('empty')}</Text>}
      <VirtualList
        items={items}
        label={t('reservations.list')}
        rowHeight={64}
        height={560}
        testId="reservation-list"
        onEnd={() => {
          if (query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
        }}
        render={(r) => (
          <Paper withBorder p="xs" h={60}>
            <Group justify="space-between" wrap="nowrap">
              <Stack gap={0} style={{ minWidth: 0 }}>
                <Group gap="xs">
                  <Badge
                    size="sm"
                    color={r.status === 'READY' ? 'blue' : r.status === 'CANCELED' ? 'gray' : 'green'}
                    data-testid="reservation-status"
                  >
                    {r.status}
                  </Badge>
                  <Text size="sm">
                    {formatTime(r.sendTime, language, r.reserveTimeZone ?? 'Asia/Seoul')} (
                    {r.reserveTimeZone ?? 'Asia/Seoul'})
                  </Text>
                  <Text size="xs" c="dimmed">
                    {t('reservations.recipients', { count: r.request.recipients })} · {r.request.contentType}
                  </Text>
                </Group>
                <Text size="sm" truncate>
                  {r.request.content}
                </Text>
              </Stack>
              {r.status === 'READY' && (
                <Button
                  color="red"
                  variant="light"
                  size="xs"
                  loading={cancel.isPending && cancel.variables === r.reservationId}
                  onClick={() => cancel.mutate(r.reservationId)}
                  aria-label={t('reservations.cancelOne', { time: formatTime(r.sendTime, language) })}
                >
                  {t('reservations.cancel')}
                </Button>
              )}
            </Group>
          </Paper>
        )}
      />
    </Stack>
  );
}

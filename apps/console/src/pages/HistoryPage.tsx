import {
  Badge,
  Button,
  Drawer,
  Group,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Timeline,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useInfiniteQuery, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/context';
import type { HistoryFilter, Message } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { VirtualList } from '../components/VirtualList';
import { formatTime } from '../components/format';
import { useLanguage, useT } from '../i18n';

const STATUSES = ['READY', 'PROCESSING', 'COMPLETED'];
const TYPES = ['SMS', 'LMS', 'MMS', 'INTL'];

function statusColor(message: Message): string {
  if (message.status !== 'COMPLETED') return 'blue';
  return message.statusName === 'success' ? 'green' : 'red';
}

const REPORT_COLORS: Record<string, string> = {
  SENT: 'blue',
  DELIVERED: 'green',
  FAILED: 'red',
  EXPIRED: 'gray',
};

/**
 * Requested, due (sent at its reserved time or handed over), then every delivery report the vendor made for it
 * (GET /v1/messages/:id/reports: its status, code, carrier, the vendor's time and when it arrived), in order.
 */
function ReportTimeline({ message: m }: { message: Message }) {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi();
  const reports = useQuery({
    queryKey: ['message-reports', m.messageId],
    queryFn: () => api.messageReports(m.messageId),
    refetchInterval: m.status === 'COMPLETED' ? false : 3000,
  });
  const items = reports.data?.items ?? [];
  return (
    <>
      <ErrorNotice error={reports.error} />
      <Timeline active={1 + items.length} bulletSize={18} data-testid="report-timeline">
        <Timeline.Item title={t('history.requested')}>
          <Text size="xs">{formatTime(m.requestTime, language)}</Text>
        </Timeline.Item>
        <Timeline.Item title={m.reservationId ? t('history.reservedSend') : t('history.handedOver')}>
          <Text size="xs">{formatTime(m.sendTime, language)}</Text>
        </Timeline.Item>
        {items.map((report, index) => (
          <Timeline.Item
            key={index}
            color={REPORT_COLORS[report.status]}
            title={t('history.reportLine', {
              plugin: report.pluginId,
              source: report.source,
              status: report.status,
            })}
            data-testid="report"
          >
            <Text size="xs">
              {[report.telco, report.vendorCode, report.vendorMessage].filter(Boolean).join(' · ')}
            </Text>
            <Text size="xs" c="dimmed">
              {t('history.reportTimes', {
                at: formatTime(report.completedAt ?? report.sentAt ?? report.reportedAt, language),
                received: formatTime(report.receivedAt, language),
              })}
            </Text>
          </Timeline.Item>
        ))}
        {reports.isSuccess && items.length === 0 && (
          <Timeline.Item title={t('history.report', { state: m.state })}>
            <Text size="xs" c="dimmed">
              {t('history.noReports')}
            </Text>
          </Timeline.Item>
        )}
      </Timeline>
    </>
  );
}

/** A message's details and its report timeline. */
function MessageDetails({ messageId }: { messageId: string }) {
  const t = useT();
  const api = useApi();
  const query = useQuery({ queryKey: ['message', messageId], queryFn: () => api.message(messageId) });
  const m = query.data;
  if (query.error) return <ErrorNotice error={query.error} />;
  if (!m) return <Text>{t('loading')}</Text>;
  const rows: [string, string | number | null][] = [
    [t('history.to'), m.to],
    [t('history.from'), m.from],
    [t('history.type'), `${m.type} · ${m.contentType}`],
    [t('history.status'), `${m.status} / ${m.state}`],
    [t('history.result'), [m.statusName, m.statusCode, m.statusMessage].filter(Boolean).join(' · ')],
    [t('history.telco'), m.telcoCode],
    [
      t('history.size'),
      m.bytes !== null ? `${m.bytes} bytes` : `${m.parts ?? '—'} parts ${m.encoding ?? ''}`,
    ],
    [t('history.subject'), m.subject],
  ];
  return (
    <Stack data-testid="message-details">
      <Table>
        <Table.Tbody>
          {rows.map(([name, value]) => (
            <Table.Tr key={name}>
              <Table.Th w={140}>{name}</Table.Th>
              <Table.Td>{value ?? '—'}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
        {m.content}
      </Text>
      <Title order={3} size="h5">
        {t('history.timeline')}
      </Title>
      <ReportTimeline message={m} />
    </Stack>
  );
}

export function HistoryPage() {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi();
  const [draft, setDraft] = useState<HistoryFilter>({});
  const [filter, setFilter] = useState<HistoryFilter>({});
  const [open, setOpen] = useState<string | null>(null);
  const query = useInfiniteQuery({
    queryKey: ['history', filter],
    queryFn: ({ pageParam }) => api.history({ ...filter, limit: 100, cursor: pageParam }),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    refetchInterval: 3000,
  });
  const items = query.data?.pages.flatMap((page) => page.items) ?? [];
  const set = (name: keyof HistoryFilter, value: string | null) =>
    setDraft({ ...draft, [name]: value ?? undefined });

  return (
    <Stack>
      <Title order={2}>{t('nav.history')}</Title>
      <Group
        align="flex-end"
        component="form"
        onSubmit={(event) => {
          event.preventDefault();
          setFilter({
            ...draft,
            requestTimeFrom: draft.requestTimeFrom
              ? new Date(draft.requestTimeFrom).toISOString()
              : undefined,
            requestTimeTo: draft.requestTimeTo ? new Date(draft.requestTimeTo).toISOString() : undefined,
          });
        }}
        aria-label={t('history.filters')}
      >
        <Select
          label={t('history.status')}
          data={STATUSES}
          value={draft.status ?? null}
          onChange={(v) => set('status', v)}
          clearable
          w={150}
        />
        <Select
          label={t('history.type')}
          data={TYPES}
          value={draft.type ?? null}
          onChange={(v) => set('type', v)}
          clearable
          w={110}
        />
        <TextInput
          label={t('history.to')}
          value={draft.to ?? ''}
          onChange={(e) => set('to', e.currentTarget.value)}
          w={150}
        />
        <TextInput
          label={t('history.from')}
          value={draft.from ?? ''}
          onChange={(e) => set('from', e.currentTarget.value)}
          w={150}
        />
        <TextInput
          type="datetime-local"
          label={t('history.since')}
          value={draft.requestTimeFrom ?? ''}
          onChange={(e) => set('requestTimeFrom', e.currentTarget.value)}
        />
        <TextInput
          type="datetime-local"
          label={t('history.until')}
          value={draft.requestTimeTo ?? ''}
          onChange={(e) => set('requestTimeTo', e.currentTarget.value)}
        />
        <Button type="submit">{t('history.apply')}</Button>
      </Group>
      <ErrorNotice error={query.error} />
      <Text size="sm" c="dimmed">
        {t('history.shown', { count: items.length })}
        {query.hasNextPage ? ` · ${t('history.more')}` : ''}
      </Text>
      <VirtualList
        items={items}
        label={t('history.list')}
        rowHeight={40}
        height={560}
        testId="history-list"
        onEnd={() => {
          if (query.hasNextPage && !query.isFetchingNextPage) void query.fetchNextPage();
        }}
        render={(m) => (
          <UnstyledButton
            onClick={() => setOpen(m.messageId)}
            w="100%"
            px="xs"
            aria-label={t('history.open', { to: m.to })}
            style={{ borderBottom: '1px solid var(--mantine-color-gray-2)', height: 40 }}
          >
            <Group gap="sm" wrap="nowrap">
              <Text size="xs" w={150}>
                {formatTime(m.requestTime, language)}
              </Text>
              <Badge size="sm" variant="light" w={60}>
                {m.type}
              </Badge>
              <Text size="sm" ff="monospace" w={120}>
                {m.to}
              </Text>
              <Badge size="sm" color={statusColor(m)} data-testid="history-status">
                {m.status}
              </Badge>
              <Text size="xs" c="dimmed" w={90}>
                {m.state}
              </Text>
              <Text size="sm" truncate style={{ flex: 1 }}>
                {m.content}
              </Text>
            </Group>
          </UnstyledButton>
        )}
      />
      <Drawer
        opened={open !== null}
        onClose={() => setOpen(null)}
        position="right"
        size="lg"
        title={t('history.details')}
        closeButtonProps={{ 'aria-label': t('close') }}
      >
        {open && <MessageDetails messageId={open} />}
      </Drawer>
    </Stack>
  );
}

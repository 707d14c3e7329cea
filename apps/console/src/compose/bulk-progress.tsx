import { Group, Progress, Stack, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { BulkAnswer } from '../api/types';
import { useApi } from '../api/context';
import { VirtualList } from '../components/VirtualList';
import { useT } from '../i18n';

/** Upload, then the send's own progress (GET /v1/requests/:id/progress, polled until done), and refused lines. */
export function BulkProgress({ upload, answer }: { upload: number; answer: BulkAnswer | null }) {
  const t = useT();
  const api = useApi();
  const progress = useQuery({
    queryKey: ['progress', answer?.requestId],
    queryFn: () => api.progress(answer?.requestId ?? ''),
    enabled: Boolean(answer),
    refetchInterval: (query) => (query.state.data?.done ? false : 1000),
  });
  const p = progress.data;
  const finished = p ? p.delivered + p.failed + p.canceled : 0;
  return (
    <Stack gap="xs" data-testid="bulk-progress">
      <Text size="sm">{t('bulk.upload', { percent: Math.round(upload * 100) })}</Text>
      <Progress value={upload * 100} aria-label={t('bulk.uploadBar')} />
      {answer && (
        <Text size="sm" data-testid="bulk-accepted">
          {t('bulk.accepted', { accepted: answer.accepted, rejected: answer.rejected })}
        </Text>
      )}
      {p && (
        <>
          <Progress.Root size="lg" aria-label={t('bulk.sendBar')}>
            <Progress.Section value={(p.delivered / Math.max(1, p.accepted)) * 100} color="green" />
            <Progress.Section value={(p.failed / Math.max(1, p.accepted)) * 100} color="red" />
            <Progress.Section value={((p.sent + p.sending) / Math.max(1, p.accepted)) * 100} color="blue" />
          </Progress.Root>
          <Group gap="md">
            <Text size="sm" data-testid="bulk-status">
              {t('bulk.counts', {
                delivered: p.delivered,
                failed: p.failed,
                inFlight: p.queued + p.sending + p.sent,
                reserved: p.reserved,
                finished,
                accepted: p.accepted,
              })}
            </Text>
            {p.done && (
              <Text size="sm" c="green" fw={600} data-testid="bulk-done">
                {t('bulk.done')}
              </Text>
            )}
          </Group>
        </>
      )}
      {answer && answer.rejectedRows.length > 0 && (
        <>
          <Text size="sm" c="red">
            {t('bulk.refusedLines', { count: answer.rejected })}
            {answer.rejectedRowsTruncated ? ` ${t('bulk.truncated')}` : ''}
          </Text>
          <VirtualList
            items={answer.rejectedRows}
            label={t('bulk.refusedLinesList')}
            height={200}
            testId="bulk-refused"
            render={(row) => (
              <Text size="sm" px="xs" truncate>
                {t('bulk.line', { line: row.line })} · {row.to} · {row.code}: {row.message}
              </Text>
            )}
          />
        </>
      )}
    </Stack>
  );
}

import { Alert, Badge, Code, Group, Paper, Stack, Text, Title } from '@mantine/core';
import type { DryRun, PlannedRecipient, RefusedRecipient } from '../api/types';
import { VirtualList } from '../components/VirtualList';
import { formatTime } from '../components/format';
import { useLanguage, useT } from '../i18n';

/** The dry run's plan: counts, the exact text the first recipient gets, and every refused or blocked one. */
export function PreviewPanel({ plan }: { plan: DryRun }) {
  const t = useT();
  const { language } = useLanguage();
  const planned = plan.recipients.find((r): r is PlannedRecipient => r.outcome === 'PLANNED');
  const refused = plan.recipients.filter((r): r is RefusedRecipient => r.outcome !== 'PLANNED');
  return (
    <Paper withBorder p="md" aria-label={t('preview.title')} component="section" data-testid="preview">
      <Stack gap="sm">
        <Title order={3} size="h5">
          {t('preview.title')}
        </Title>
        <Group gap="xs">
          <Badge color="green">{t('preview.planned', { count: plan.summary.planned })}</Badge>
          <Badge color="red">
            {t('preview.rejected', { count: plan.summary.rejected - plan.summary.blocked })}
          </Badge>
          <Badge color="gray">{t('preview.blocked', { count: plan.summary.blocked })}</Badge>
          <Text size="sm">
            {t('preview.sendTime', {
              time: formatTime(plan.sendTime, language, plan.reservation?.zone ?? 'Asia/Seoul'),
            })}
            {plan.deferred ? ` — ${t('preview.deferred')}` : ''}
          </Text>
        </Group>
        {planned && (
          <Stack gap={4}>
            <Text size="sm" fw={600}>
              {t('preview.exactText', { type: planned.type, bytes: planned.bytes ?? planned.parts ?? 0 })}
            </Text>
            <Code block data-testid="preview-text">
              {planned.content}
            </Code>
            {planned.labels && planned.labels.length > 0 && (
              <Text size="xs" c="dimmed">
                {t('preview.labels', { labels: planned.labels.join(', ') })}
              </Text>
            )}
          </Stack>
        )}
        {refused.length > 0 ? (
          <VirtualList
            items={refused}
            label={t('preview.refusedList')}
            testId="preview-refused"
            height={240}
            render={(r) => (
              <Group gap="xs" wrap="nowrap" px="xs">
                <Badge color={r.outcome === 'BLOCKED' ? 'gray' : 'red'} size="sm">
                  {r.outcome}
                </Badge>
                <Text size="sm" ff="monospace">
                  {r.to}
                </Text>
                <Text size="xs" c="dimmed" truncate>
                  {r.code}: {r.message}
                </Text>
              </Group>
            )}
          />
        ) : (
          <Alert color="green">{t('preview.noneRefused')}</Alert>
        )}
      </Stack>
    </Paper>
  );
}

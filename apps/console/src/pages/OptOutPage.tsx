import {
  Badge,
  Button,
  FileButton,
  Group,
  Paper,
  Progress,
  Stack,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { orNullIfNotFound } from '../api/client';
import { useApi } from '../api/context';
import { csvRecipients } from '../compose/recipients';
import { ErrorNotice } from '../components/ErrorNotice';
import { OneFieldForm } from '../components/OneFieldForm';
import { VirtualList } from '../components/VirtualList';
import { downloadText, formatTime } from '../components/format';
import { useLanguage, useT } from '../i18n';

/** Rows fetched per request as the list scrolls (the list itself renders only a screenful: VirtualList). */
const PAGE_SIZE = 200;

function ServiceCard() {
  const t = useT();
  const api = useApi();
  const client = useQueryClient();
  const service = useQuery({
    queryKey: ['opt-out-service'],
    queryFn: () => orNullIfNotFound(api.optOutService()),
  });
  const refresh = () => client.invalidateQueries({ queryKey: ['opt-out-service'] });
  const apply = useMutation({
    mutationFn: (company: string) => api.applyOptOutService(company),
    onSuccess: refresh,
  });
  const cancel = useMutation({ mutationFn: () => api.cancelOptOutService(), onSuccess: refresh });
  const stop = useMutation({ mutationFn: () => api.stopOptOutService(), onSuccess: refresh });
  const s = service.data;
  const canApply = !s || s.status === 'CANCELED' || s.status === 'STOPPED';
  return (
    <Paper withBorder p="md" aria-label={t('optOut.service')} component="section">
      <Stack gap="xs">
        <Title order={3} size="h5">
          {t('optOut.service')}
        </Title>
        {s ? (
          <Group>
            <Badge
              color={s.status === 'COMPLETE' ? 'green' : s.status === 'PROCESSING' ? 'yellow' : 'gray'}
              data-testid="opt-out-status"
            >
              {s.status}
            </Badge>
            <Text size="sm">
              {s.companyName} · {s.number080 ?? t('optOut.noNumber')}
            </Text>
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            {t('optOut.none')}
          </Text>
        )}
        <Text size="xs" c="dimmed">
          {t('optOut.states')}
        </Text>
        <ErrorNotice error={service.error ?? apply.error ?? cancel.error ?? stop.error} />
        <Group>
          {canApply && (
            <OneFieldForm
              label={t('optOut.company')}
              maxLength={20}
              submitLabel={t('optOut.apply')}
              onSubmit={(company) => apply.mutateAsync(company)}
              pending={apply.isPending}
            />
          )}
          {s?.status === 'PROCESSING' && (
            <Button variant="light" color="red" onClick={() => cancel.mutate()} loading={cancel.isPending}>
              {t('optOut.cancel')}
            </Button>
          )}
          {s?.status === 'COMPLETE' && (
            <Button variant="light" color="red" onClick={() => stop.mutate()} loading={stop.isPending}>
              {t('optOut.stop')}
            </Button>
          )}
        </Group>
      </Stack>
    </Paper>
  );
}

export function OptOutPage() {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi();
  const client = useQueryClient();
  const [search, setSearch] = useState('');
  const [importing, setImporting] = useState<{ done: number; total: number; failed: string[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const list = useInfiniteQuery({
    queryKey: ['blocklist', search],
    queryFn: ({ pageParam }) =>
      api.blockList({ page: pageParam, size: PAGE_SIZE, number: search || undefined }),
    initialPageParam: 1,
    getNextPageParam: (last, pages) => (pages.length * PAGE_SIZE < last.total ? pages.length + 1 : undefined),
  });
  const items = list.data?.pages.flatMap((page) => page.items) ?? [];
  const refresh = () => client.invalidateQueries({ queryKey: ['blocklist'] });
  const add = useMutation({
    mutationFn: (number: string) => api.block(number),
    onSuccess: refresh,
  });
  const remove = useMutation({ mutationFn: (n: string) => api.unblock(n), onSuccess: refresh });

  // CSV import: one POST per number (the API adds one at a time), a few at once, failures listed.
  const importCsv = async (file: File | null) => {
    if (!file) return;
    const numbers = csvRecipients(await file.text()).filter(Boolean);
    const failed: string[] = [];
    let done = 0;
    setImporting({ done, total: numbers.length, failed });
    const queue = [...numbers];
    const worker = async () => {
      for (let n = queue.shift(); n !== undefined; n = queue.shift()) {
        try {
          await api.block(n);
        } catch (caught) {
          failed.push(`${n}: ${caught instanceof Error ? caught.message : String(caught)}`);
        }
        done++;
        setImporting({ done, total: numbers.length, failed: [...failed] });
      }
    };
    await Promise.all([worker(), worker(), worker(), worker()]);
    await refresh();
  };

  // CSV export: every page of the list.
  const exportCsv = async () => {
    setError(null);
    try {
      const rows = ['number,source,createdAt'];
      for (let p = 1; ; p++) {
        const chunk = await api.blockList({ page: p, size: 500 });
        rows.push(...chunk.items.map((item) => `${item.number},${item.source},${item.createdAt}`));
        if (p * 500 >= chunk.total || chunk.items.length === 0) break;
      }
      downloadText('munja-080-blocklist.csv', rows.join('\n') + '\n');
    } catch (caught) {
      setError(caught);
    }
  };

  const total = list.data?.pages[0]?.total ?? 0;
  return (
    <Stack>
      <Title order={2}>{t('nav.optOut')}</Title>
      <ServiceCard />
      <Paper withBorder p="md" component="section" aria-label={t('optOut.blockList')}>
        <Stack>
          <Title order={3} size="h5">
            {t('optOut.blockList')} ({total})
          </Title>
          <Group align="flex-end">
            <OneFieldForm
              label={t('optOut.addNumber')}
              submitLabel={t('optOut.add')}
              onSubmit={(number) => add.mutateAsync(number)}
              pending={add.isPending}
            />
            <TextInput
              label={t('optOut.search')}
              value={search}
              onChange={(e) => {
                setSearch(e.currentTarget.value);
              }}
            />
            <FileButton onChange={(file) => void importCsv(file)} accept=".csv,text/csv,text/plain">
              {(props) => (
                <Button variant="default" {...props}>
                  {t('optOut.import')}
                </Button>
              )}
            </FileButton>
            <Button variant="default" onClick={() => void exportCsv()}>
              {t('optOut.export')}
            </Button>
          </Group>
          {importing && (
            <Stack gap={4}>
              <Text size="sm">{t('optOut.importing', { done: importing.done, total: importing.total })}</Text>
              <Progress
                value={(importing.done / Math.max(1, importing.total)) * 100}
                aria-label={t('optOut.import')}
              />
              {importing.failed.map((line) => (
                <Text size="xs" c="red" key={line}>
                  {line}
                </Text>
              ))}
            </Stack>
          )}
          <ErrorNotice error={list.error ?? add.error ?? remove.error ?? error} />
          <Group gap="sm" wrap="nowrap" px="xs" aria-hidden>
            <Text fw={600} size="sm" w={140}>
              {t('numbers.number')}
            </Text>
            <Text fw={600} size="sm" w={90}>
              {t('optOut.source')}
            </Text>
            <Text fw={600} size="sm">
              {t('optOut.added')}
            </Text>
          </Group>
          <VirtualList
            items={items}
            label={t('optOut.blockList')}
            rowHeight={40}
            height={480}
            testId="blocklist"
            onEnd={() => {
              if (list.hasNextPage && !list.isFetchingNextPage) void list.fetchNextPage();
            }}
            render={(item) => (
              <Group
                gap="sm"
                wrap="nowrap"
                px="xs"
                style={{ borderBottom: '1px solid var(--mantine-color-gray-2)', height: 40 }}
              >
                <Text ff="monospace" size="sm" w={140}>
                  {item.number}
                </Text>
                <Text size="sm" w={90}>
                  {item.source}
                </Text>
                <Text size="sm" style={{ flex: 1 }}>
                  {formatTime(item.createdAt, language)}
                </Text>
                <Button
                  size="xs"
                  variant="subtle"
                  color="red"
                  onClick={() => remove.mutate(item.number)}
                  aria-label={t('optOut.removeOne', { number: item.number })}
                >
                  {t('optOut.remove')}
                </Button>
              </Group>
            )}
          />
        </Stack>
      </Paper>
    </Stack>
  );
}

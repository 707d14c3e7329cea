import {
  Badge,
  Button,
  FileButton,
  Group,
  Pagination,
  Paper,
  Progress,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { orNullIfNotFound } from '../api/client';
import { useApi } from '../api/context';
import { csvRecipients } from '../compose/recipients';
import { ErrorNotice } from '../components/ErrorNotice';
import { OneFieldForm } from '../components/OneFieldForm';
import { downloadText, formatTime } from '../components/format';
import { useLanguage, useT } from '../i18n';

const PAGE_SIZE = 50;

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
  const [page, setPage] = useState(1);
  const [search, setSearch] = useState('');
  const [importing, setImporting] = useState<{ done: number; total: number; failed: string[] } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const list = useQuery({
    queryKey: ['blocklist', page, search],
    queryFn: () => api.blockList({ page, size: PAGE_SIZE, number: search || undefined }),
  });
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

  const total = list.data?.total ?? 0;
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
                setPage(1);
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
          <Table data-testid="blocklist">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>{t('numbers.number')}</Table.Th>
                <Table.Th>{t('optOut.source')}</Table.Th>
                <Table.Th>{t('optOut.added')}</Table.Th>
                <Table.Th />
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {(list.data?.items ?? []).map((item) => (
                <Table.Tr key={item.number}>
                  <Table.Td ff="monospace">{item.number}</Table.Td>
                  <Table.Td>{item.source}</Table.Td>
                  <Table.Td>{formatTime(item.createdAt, language)}</Table.Td>
                  <Table.Td>
                    <Button
                      size="xs"
                      variant="subtle"
                      color="red"
                      onClick={() => remove.mutate(item.number)}
                      aria-label={t('optOut.removeOne', { number: item.number })}
                    >
                      {t('optOut.remove')}
                    </Button>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
          {total > PAGE_SIZE && (
            <Pagination
              value={page}
              onChange={setPage}
              total={Math.ceil(total / PAGE_SIZE)}
              aria-label={t('optOut.pages')}
            />
          )}
        </Stack>
      </Paper>
    </Stack>
  );
}

import { Badge, Button, Group, Paper, Select, Stack, Table, Text, TextInput, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useApi } from '../api/context';
import type { CallingNumberStatus } from '../api/types';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatTime } from '../components/format';
import { useLanguage, useT } from '../i18n';

export const STATUS_COLORS: Record<CallingNumberStatus, string> = {
  READY: 'blue',
  'IN-PROGRESS': 'yellow',
  APPROVED: 'green',
  REJECTED: 'red',
};

export function CallingNumbersPage() {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi();
  const client = useQueryClient();
  const [number, setNumber] = useState('');
  const [method, setMethod] = useState<'SMS' | 'DOCUMENT'>('DOCUMENT');
  const query = useQuery({ queryKey: ['calling-numbers'], queryFn: () => api.callingNumbers() });
  const register = useMutation({
    mutationFn: () => api.registerCallingNumber(number, method),
    onSuccess: async () => {
      setNumber('');
      await client.invalidateQueries({ queryKey: ['calling-numbers'] });
    },
  });
  return (
    <Stack>
      <Title order={2}>{t('nav.callingNumbers')}</Title>
      <Text size="sm" c="dimmed">
        {t('numbers.hint')}
      </Text>
      <Paper
        withBorder
        p="md"
        component="form"
        aria-label={t('numbers.register')}
        onSubmit={(event) => {
          event.preventDefault();
          register.mutate();
        }}
      >
        <Group align="flex-end">
          <TextInput
            label={t('numbers.number')}
            placeholder="02-1234-5678"
            value={number}
            onChange={(e) => setNumber(e.currentTarget.value)}
            required
          />
          <Select
            label={t('numbers.method')}
            value={method}
            onChange={(v) => setMethod((v as 'SMS' | 'DOCUMENT') ?? 'DOCUMENT')}
            data={[
              { value: 'DOCUMENT', label: t('numbers.document') },
              { value: 'SMS', label: t('numbers.sms') },
            ]}
            allowDeselect={false}
          />
          <Button type="submit" loading={register.isPending} disabled={!number}>
            {t('numbers.register')}
          </Button>
        </Group>
        <ErrorNotice error={register.error} />
      </Paper>
      <ErrorNotice error={query.error} />
      <Table aria-label={t('nav.callingNumbers')} data-testid="calling-numbers">
        <Table.Thead>
          <Table.Tr>
            <Table.Th>{t('numbers.number')}</Table.Th>
            <Table.Th>{t('numbers.method')}</Table.Th>
            <Table.Th>{t('history.status')}</Table.Th>
            <Table.Th>{t('numbers.requested')}</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {(query.data?.items ?? []).map((n) => (
            <Table.Tr key={n.id}>
              <Table.Td ff="monospace">{n.number}</Table.Td>
              <Table.Td>{n.method}</Table.Td>
              <Table.Td>
                <Badge color={STATUS_COLORS[n.status]}>{n.status}</Badge>
                {n.rejectReason ? ` ${n.rejectReason}` : ''}
              </Table.Td>
              <Table.Td>{formatTime(n.requestedAt, language)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Stack>
  );
}

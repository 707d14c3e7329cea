import {
  Badge,
  Button,
  Checkbox,
  Group,
  Modal,
  Paper,
  Select,
  Stack,
  Table,
  Text,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useApi } from '../api/context';
import type { Schedule, Weekday } from '../api/types';
import { TIME_ZONES } from '../compose/send-time';
import { ErrorNotice } from '../components/ErrorNotice';
import { OneFieldForm } from '../components/OneFieldForm';
import { formatTime } from '../components/format';
import { useLanguage, useT } from '../i18n';
import type { MessageKey } from '../messages';

const WEEKDAYS: Weekday[] = ['MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT', 'SUN'];

function Occurrences({ code }: { code: string }) {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi();
  const query = useQuery({ queryKey: ['occurrences', code], queryFn: () => api.occurrences(code) });
  if (query.error) return <ErrorNotice error={query.error} />;
  const rows = query.data ?? [];
  if (rows.length === 0)
    return (
      <Text size="sm" c="dimmed">
        {t('schedules.noOccurrences')}
      </Text>
    );
  return (
    <Table>
      <Table.Thead>
        <Table.Tr>
          <Table.Th>{t('schedules.sendTime')}</Table.Th>
          <Table.Th>{t('history.status')}</Table.Th>
          <Table.Th>{t('schedules.results')}</Table.Th>
        </Table.Tr>
      </Table.Thead>
      <Table.Tbody>
        {rows.map((o) => (
          <Table.Tr key={o.occurrenceKey}>
            <Table.Td>{formatTime(o.sendTime, language)}</Table.Td>
            <Table.Td>
              {o.status}
              {o.skipReason ? ` (${o.skipReason})` : ''}
            </Table.Td>
            <Table.Td>
              {t('schedules.counts', {
                total: o.messages.total,
                success: o.messages.success,
                fail: o.messages.fail,
              })}
            </Table.Td>
          </Table.Tr>
        ))}
      </Table.Tbody>
    </Table>
  );
}

/** Deleting asks for the code again, as the API does (`confirmCode`). */
function DeleteSchedule({ schedule, onClose }: { schedule: Schedule; onClose: () => void }) {
  const t = useT();
  const api = useApi();
  const client = useQueryClient();
  const remove = useMutation({
    mutationFn: (typed: string) => api.deleteSchedule(schedule.code, typed),
    onSuccess: async () => {
      await client.invalidateQueries({ queryKey: ['schedules'] });
      onClose();
    },
  });
  return (
    <Stack>
      <Text size="sm">{t('schedules.deleteConfirm', { code: schedule.code })}</Text>
      <OneFieldForm
        label={t('schedules.typeCode')}
        submitLabel={t('schedules.delete')}
        color="red"
        canSubmit={(typed) => typed === schedule.code}
        onSubmit={(typed) => remove.mutateAsync(typed)}
        pending={remove.isPending}
        autoFocus
      >
        <Button variant="default" onClick={onClose}>
          {t('close')}
        </Button>
      </OneFieldForm>
      <ErrorNotice error={remove.error} />
    </Stack>
  );
}

function CreateSchedule() {
  const t = useT();
  const api = useApi();
  const client = useQueryClient();
  const today = new Date().toISOString().slice(0, 10);
  const [code, setCode] = useState('');
  const [days, setDays] = useState<Weekday[]>(['MON']);
  const [time, setTime] = useState('10:00');
  const [zone, setZone] = useState('Asia/Seoul');
  const [startDate, setStartDate] = useState(today);
  const [endDate, setEndDate] = useState(new Date(Date.now() + 90 * 86400000).toISOString().slice(0, 10));
  const create = useMutation({
    mutationFn: () =>
      api.createSchedule({
        code,
        weekdays: days.length === 7 ? 'EVERY_DAY' : days,
        time,
        timeZone: zone,
        startDate,
        endDate,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ['schedules'] }),
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate();
  };
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label={t('schedules.create')}>
      <Stack>
        <Title order={3} size="h5">
          {t('schedules.create')}
        </Title>
        <Group align="flex-end">
          <TextInput
            label={t('schedules.code')}
            value={code}
            onChange={(e) => setCode(e.currentTarget.value)}
            required
          />
          <TextInput
            type="time"
            label={t('compose.time')}
            value={time}
            onChange={(e) => setTime(e.currentTarget.value)}
            required
          />
          <Select
            label={t('compose.zone')}
            data={TIME_ZONES}
            value={zone}
            onChange={(v) => setZone(v ?? 'Asia/Seoul')}
            allowDeselect={false}
          />
          <TextInput
            type="date"
            label={t('schedules.start')}
            value={startDate}
            onChange={(e) => setStartDate(e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('schedules.end')}
            value={endDate}
            onChange={(e) => setEndDate(e.currentTarget.value)}
          />
        </Group>
        <Checkbox.Group
          label={t('schedules.weekdays')}
          value={days}
          onChange={(v) => setDays(v as Weekday[])}
        >
          <Group mt={4}>
            {WEEKDAYS.map((day) => (
              <Checkbox key={day} value={day} label={t(`weekday.${day}` as MessageKey)} />
            ))}
          </Group>
        </Checkbox.Group>
        <ErrorNotice error={create.error} />
        <Group>
          <Button type="submit" loading={create.isPending} disabled={!code || days.length === 0}>
            {t('schedules.create')}
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}

export function SchedulesPage() {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi();
  const query = useQuery({ queryKey: ['schedules'], queryFn: () => api.schedules() });
  const [expanded, setExpanded] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<Schedule | null>(null);
  return (
    <Stack>
      <Title order={2}>{t('nav.schedules')}</Title>
      <Text size="sm" c="dimmed">
        {t('schedules.hint')}
      </Text>
      <CreateSchedule />
      <ErrorNotice error={query.error} />
      {(query.data ?? []).map((s) => (
        <Paper withBorder p="md" key={s.scheduleId} data-testid="schedule">
          <Group justify="space-between">
            <Stack gap={2}>
              <Group gap="xs">
                <Text fw={600}>{s.code}</Text>
                <Badge size="sm">
                  {s.weekdays.length === 7
                    ? t('schedules.everyDay')
                    : s.weekdays.map((d) => t(`weekday.${d}` as MessageKey)).join(' ')}
                </Badge>
                <Text size="sm">
                  {s.time} {s.timeZone}
                </Text>
                <Text size="xs" c="dimmed">
                  {s.startDate} – {s.endDate} ·{' '}
                  {t('schedules.templates', { templates: s.templates, recipients: s.recipients })}
                </Text>
              </Group>
              <Text size="sm">
                {t('schedules.next')}: {s.upcoming.map((u) => u.local).join(' · ') || '—'}
              </Text>
            </Stack>
            <Group>
              <Button
                variant="default"
                size="xs"
                onClick={() => setExpanded(expanded === s.code ? null : s.code)}
                aria-expanded={expanded === s.code}
              >
                {t('schedules.occurrences')}
              </Button>
              <Button
                color="red"
                variant="light"
                size="xs"
                onClick={() => setDeleting(s)}
                aria-label={t('schedules.deleteOne', { code: s.code })}
              >
                {t('schedules.delete')}
              </Button>
            </Group>
          </Group>
          {expanded === s.code && <Occurrences code={s.code} />}
          <Text size="xs" c="dimmed">
            {t('schedules.nextSend', { time: formatTime(s.nextSendTime, language) })}
          </Text>
        </Paper>
      ))}
      <Modal
        opened={deleting !== null}
        onClose={() => setDeleting(null)}
        title={t('schedules.delete')}
        closeButtonProps={{ 'aria-label': t('close') }}
      >
        {deleting && <DeleteSchedule schedule={deleting} onClose={() => setDeleting(null)} />}
      </Modal>
    </Stack>
  );
}

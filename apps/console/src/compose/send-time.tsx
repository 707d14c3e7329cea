import { Alert, Group, SegmentedControl, Select, Stack, TextInput } from '@mantine/core';
import { memo } from 'react';
import { useT } from '../i18n';

export interface SendTime {
  mode: 'now' | 'reserve' | 'schedule';
  date: string;
  time: string;
  zone: string;
  /** the recurring schedule the message is attached to (mode 'schedule') */
  scheduleCode: string | null;
}

export const TIME_ZONES = [
  'Asia/Seoul',
  'UTC',
  'Asia/Tokyo',
  'America/Los_Angeles',
  'America/New_York',
  'Europe/London',
];

/** Send now, or reserve for a date and time in a zone; for AD the night window (21:00–08:00 KST) is explained. */
export const SendTimeField = memo(function SendTimeField({
  value,
  onChange,
  ad,
  schedules,
}: {
  value: SendTime;
  onChange: (value: SendTime) => void;
  ad: boolean;
  /** codes of the project's recurring schedules */
  schedules: readonly string[];
}) {
  const t = useT();
  return (
    <Stack gap="xs">
      <SegmentedControl
        aria-label={t('compose.when')}
        value={value.mode}
        onChange={(mode) => onChange({ ...value, mode: mode as SendTime['mode'] })}
        data={[
          { value: 'now', label: t('compose.sendNow') },
          { value: 'reserve', label: t('compose.reserve') },
          { value: 'schedule', label: t('compose.attachSchedule') },
        ]}
      />
      {value.mode === 'schedule' && (
        <Select
          label={t('compose.schedule')}
          description={t('compose.scheduleHint')}
          data={[...schedules]}
          value={value.scheduleCode}
          onChange={(scheduleCode) => onChange({ ...value, scheduleCode })}
          required
        />
      )}
      {value.mode === 'reserve' && (
        <Group align="flex-end">
          <TextInput
            type="date"
            label={t('compose.date')}
            value={value.date}
            onChange={(event) => onChange({ ...value, date: event.currentTarget.value })}
            required
          />
          <TextInput
            type="time"
            label={t('compose.time')}
            value={value.time}
            onChange={(event) => onChange({ ...value, time: event.currentTarget.value })}
            required
          />
          <Select
            label={t('compose.zone')}
            data={TIME_ZONES}
            value={value.zone}
            onChange={(zone) => onChange({ ...value, zone: zone ?? 'Asia/Seoul' })}
            allowDeselect={false}
            searchable
          />
        </Group>
      )}
      {ad && (
        <Alert color="yellow" title={t('compose.nightTitle')}>
          {t('compose.nightRule')}
        </Alert>
      )}
    </Stack>
  );
});

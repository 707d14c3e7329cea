import { Group, SegmentedControl, Select, TextInput } from '@mantine/core';
import { memo } from 'react';
import { useT } from '../i18n';

export type ContentType = 'COMM' | 'AD';
export type Destination = 'domestic' | 'international';

export interface MessageKindFieldsProps {
  contentType: ContentType;
  onContentType: (value: ContentType) => void;
  destination: Destination;
  onDestination: (value: Destination) => void;
  /** the project's APPROVED calling numbers */
  approved: readonly string[];
  sender: string;
  onFrom: (number: string | null) => void;
  loading: boolean;
  countryCode: string;
  onCountryCode: (code: string) => void;
}

/**
 * COMM/AD, at home or abroad, the calling number (and the country code abroad). Memoised: a keystroke in the
 * content re-renders the compose form, and these controls do not depend on it.
 */
export const MessageKindFields = memo(function MessageKindFields(props: MessageKindFieldsProps) {
  const t = useT();
  return (
    <>
      <Group grow align="flex-start">
        <SegmentedControl
          aria-label={t('compose.contentType')}
          value={props.contentType}
          onChange={(value) => props.onContentType(value as ContentType)}
          data={[
            { value: 'COMM', label: t('compose.comm') },
            { value: 'AD', label: t('compose.ad') },
          ]}
        />
        <SegmentedControl
          aria-label={t('compose.destination')}
          value={props.destination}
          onChange={(value) => props.onDestination(value as Destination)}
          data={[
            { value: 'domestic', label: t('compose.domestic') },
            { value: 'international', label: t('compose.international') },
          ]}
        />
      </Group>
      <Group grow>
        <Select
          label={t('compose.from')}
          data={props.approved as string[]}
          value={props.sender || null}
          onChange={props.onFrom}
          placeholder={props.loading ? t('loading') : t('compose.noApproved')}
          allowDeselect={false}
          required
        />
        {props.destination === 'international' && (
          <TextInput
            label={t('compose.countryCode')}
            value={props.countryCode}
            onChange={(event) => props.onCountryCode(event.currentTarget.value.replace(/\D/g, ''))}
            inputMode="numeric"
          />
        )}
      </Group>
    </>
  );
});

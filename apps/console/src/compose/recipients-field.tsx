import { Button, FileButton, Group, Tabs, Text, Textarea } from '@mantine/core';
import { memo } from 'react';
import { useT } from '../i18n';

export interface RecipientsFieldProps {
  mode: string | null;
  onMode: (mode: string | null) => void;
  listText: string;
  onListText: (text: string) => void;
  count: number;
  csvFile: File | null;
  onCsvFile: (file: File | null) => void;
  onTemplate: () => void;
}

/** Recipients: a pasted list (one per line), or a CSV file for the bulk endpoint (with its template). */
export const RecipientsField = memo(function RecipientsField({
  mode,
  onMode,
  listText,
  onListText,
  count,
  csvFile,
  onCsvFile,
  onTemplate,
}: RecipientsFieldProps) {
  const t = useT();
  return (
    <Tabs value={mode} onChange={onMode}>
      <Tabs.List aria-label={t('compose.recipients')}>
        <Tabs.Tab value="list">{t('compose.pasteList')}</Tabs.Tab>
        <Tabs.Tab value="csv">{t('compose.importCsv')}</Tabs.Tab>
      </Tabs.List>
      <Tabs.Panel value="list" pt="xs">
        <Textarea
          label={t('compose.recipientList')}
          description={t('compose.recipientListHint', { count })}
          value={listText}
          onChange={(event) => onListText(event.currentTarget.value)}
          autosize
          minRows={3}
          maxRows={10}
        />
      </Tabs.Panel>
      <Tabs.Panel value="csv" pt="xs">
        <Group>
          <FileButton onChange={onCsvFile} accept=".csv,text/csv">
            {(props) => (
              <Button {...props} variant="default">
                {t('compose.chooseCsv')}
              </Button>
            )}
          </FileButton>
          <Text size="sm" data-testid="csv-name">
            {csvFile ? `${csvFile.name} (${Math.ceil(csvFile.size / 1024)} KB)` : t('compose.noFile')}
          </Text>
          <Button variant="subtle" onClick={onTemplate}>
            {t('compose.template')}
          </Button>
        </Group>
      </Tabs.Panel>
    </Tabs>
  );
});

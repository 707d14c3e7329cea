import { Alert, Button, Code, Grid, Group, Paper, Stack, Text, TextInput, Title } from '@mantine/core';
import { useDebouncedValue } from '@mantine/hooks';
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useMemo, useState } from 'react';
import { useApi } from '../api/context';
import type { BulkAnswer, DryRun, SendBody } from '../api/types';
import type { SendOutcome } from '../api/client';
import { BulkProgress } from '../compose/bulk-progress';
import { ContentField } from '../compose/content-field';
import { MessageKindFields, type ContentType, type Destination } from '../compose/message-kind-fields';
import { ImagePicker, type PickedImage } from '../compose/image-picker';
import { RecipientsField } from '../compose/recipients-field';
import { PreviewPanel } from '../compose/preview-panel';
import { csvRecipients, parseRecipientList, recipientsCsv } from '../compose/recipients';
import { SendTimeField, type SendTime } from '../compose/send-time';
import { ErrorNotice } from '../components/ErrorNotice';
import { downloadText } from '../components/format';
import { useT } from '../i18n';

/** The JSON send takes at most 1,000 recipients; a longer list, or a CSV, goes through the bulk endpoint. */
const JSON_SEND_LIMIT = 1000;
/** A number the AD text preview can be planned for before any recipient is entered. */
const SAMPLE_RECIPIENT = '01000000000';

function tomorrow(): string {
  const date = new Date(Date.now() + 24 * 3600 * 1000);
  return date.toISOString().slice(0, 10);
}

export function ComposePage() {
  const t = useT();
  const api = useApi();
  const queryClient = useQueryClient();
  const numbers = useQuery({ queryKey: ['calling-numbers'], queryFn: () => api.callingNumbers() });
  const approved = useMemo(
    () => (numbers.data?.items ?? []).filter((n) => n.status === 'APPROVED').map((n) => n.number),
    [numbers.data],
  );

  const [contentType, setContentType] = useState<ContentType>('COMM');
  const [destination, setDestination] = useState<Destination>('domestic');
  const [countryCode, setCountryCode] = useState('1');
  const [from, setFrom] = useState<string | null>(null);
  const [subject, setSubject] = useState('');
  const [content, setContent] = useState('');
  const [images, setImages] = useState<PickedImage[]>([]);
  const [recipientMode, setRecipientMode] = useState<string | null>('list');
  const [listText, setListText] = useState('');
  const [csvFile, setCsvFile] = useState<File | null>(null);
  const [sendTime, setSendTime] = useState<SendTime>({
    mode: 'now',
    date: tomorrow(),
    time: '10:00',
    zone: 'Asia/Seoul',
    scheduleCode: null,
  });
  const schedules = useQuery({ queryKey: ['schedules'], queryFn: () => api.schedules() });
  const scheduleCodes = useMemo(() => (schedules.data ?? []).map((s) => s.code), [schedules.data]);

  const [preview, setPreview] = useState<DryRun | null>(null);
  const [result, setResult] = useState<SendOutcome | null>(null);
  const [bulk, setBulk] = useState<{ upload: number; answer: BulkAnswer | null } | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<'preview' | 'send' | null>(null);

  const international = destination === 'international';
  const sender = from ?? approved[0] ?? '';
  const listRecipients = useMemo(() => parseRecipientList(listText), [listText]);
  const showSubject = !international;

  const baseBody = (): Omit<SendBody, 'messages'> => ({
    contentType,
    countryCode: international ? countryCode : '82',
    from: sender,
    content,
    ...(showSubject && subject ? { subject } : {}),
    ...(sendTime.mode === 'reserve'
      ? { reserveTime: `${sendTime.date} ${sendTime.time}`, reserveTimeZone: sendTime.zone }
      : {}),
    ...(sendTime.mode === 'schedule' && sendTime.scheduleCode ? { scheduleCode: sendTime.scheduleCode } : {}),
  });

  // AD: the exact text with the label and the 080 footer, from the server's own dry run (never guessed here).
  const [adContent] = useDebouncedValue(contentType === 'AD' && !international ? content : '', 400);
  const adBody = adContent
    ? { ...baseBody(), content: adContent, messages: [{ to: listRecipients[0] ?? SAMPLE_RECIPIENT }] }
    : null;
  const adPreview = useQuery({
    queryKey: ['ad-preview', adBody],
    queryFn: () => api.dryRun(adBody as SendBody),
    enabled: Boolean(adBody && sender),
    retry: false,
    // The last text stays while the next dry run loads (typing the first recipient asks again): without it the
    // panel dropped to its one-line hint and back, moving everything below it under the pointer — a click on the
    // preview button in the console's e2e test landed on the moving page and was lost.
    placeholderData: keepPreviousData,
  });
  const adText = adPreview.data?.recipients.find((r) => r.outcome === 'PLANNED');

  const recipientsForPreview = async (): Promise<string[]> => {
    if (recipientMode === 'csv' && csvFile)
      return csvRecipients(await csvFile.text()).slice(0, JSON_SEND_LIMIT);
    return listRecipients.slice(0, JSON_SEND_LIMIT);
  };

  const runPreview = async () => {
    setBusy('preview');
    setError(null);
    try {
      const to = await recipientsForPreview();
      setPreview(await api.dryRun({ ...baseBody(), messages: to.map((number) => ({ to: number })) }));
    } catch (caught) {
      setPreview(null);
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  const send = async () => {
    setBusy('send');
    setError(null);
    setResult(null);
    setBulk(null);
    try {
      const files = [];
      for (const image of images) files.push({ fileId: (await api.uploadFile(image.file)).fileId });
      const body = { ...baseBody(), ...(files.length ? { files } : {}) };
      const csv =
        recipientMode === 'csv' && csvFile
          ? csvFile
          : listRecipients.length > JSON_SEND_LIMIT
            ? new Blob([recipientsCsv(listRecipients)], { type: 'text/csv' })
            : null;
      if (csv) {
        // A browser sends the file whole (no upload events through fetch): the bar moves when it has arrived.
        setBulk({ upload: 0, answer: null });
        const answer = await api.bulkSend(body, csv);
        setBulk({ upload: 1, answer });
      } else {
        setResult(await api.send({ ...body, messages: listRecipients.map((to) => ({ to })) }));
        // a schedule's counts, the history and the reservations changed
        await queryClient.invalidateQueries();
      }
    } catch (caught) {
      setError(caught);
    } finally {
      setBusy(null);
    }
  };

  const downloadTemplate = useCallback(() => {
    api
      .bulkTemplate()
      .then((csv) => downloadText('munja-recipients-template.csv', csv))
      .catch(setError);
  }, [api]);

  const imageProblems = images.some((image) => image.problems.length > 0);
  const hasRecipients = recipientMode === 'csv' ? Boolean(csvFile) : listRecipients.length > 0;
  const canSend = Boolean(sender && content && hasRecipients && !imageProblems && busy === null);

  return (
    <Stack>
      <Title order={2}>{t('nav.compose')}</Title>
      <Grid>
        <Grid.Col span={{ base: 12, md: 7 }}>
          <Paper
            withBorder
            p="md"
            component="form"
            aria-label={t('compose.form')}
            onSubmit={(event) => {
              event.preventDefault();
              if (canSend) void send();
            }}
          >
            <Stack>
              <MessageKindFields
                contentType={contentType}
                onContentType={setContentType}
                destination={destination}
                onDestination={setDestination}
                approved={approved}
                sender={sender}
                onFrom={setFrom}
                loading={numbers.isLoading}
                countryCode={countryCode}
                onCountryCode={setCountryCode}
              />
              {showSubject && (
                <TextInput
                  label={t('compose.subject')}
                  description={t('compose.subjectHint')}
                  value={subject}
                  onChange={(event) => setSubject(event.currentTarget.value)}
                />
              )}
              <ContentField
                content={content}
                subject={showSubject ? subject : ''}
                fileCount={international ? 0 : images.length}
                international={international}
                onContent={setContent}
              />
              {contentType === 'AD' && !international && (
                <Paper
                  withBorder
                  p="sm"
                  bg="yellow.0"
                  aria-label={t('compose.adPreview')}
                  component="section"
                >
                  <Text size="sm" fw={600}>
                    {t('compose.adPreview')}
                  </Text>
                  {adPreview.error ? (
                    <ErrorNotice error={adPreview.error} />
                  ) : adText ? (
                    <>
                      <Code block data-testid="ad-text">
                        {adText.content}
                      </Code>
                      <Text size="xs" c="dimmed" data-testid="ad-size">
                        {t('compose.adSize', { type: adText.type, bytes: adText.bytes ?? 0 })}
                      </Text>
                    </>
                  ) : (
                    <Text size="sm" c="dimmed">
                      {t('compose.adPreviewHint')}
                    </Text>
                  )}
                </Paper>
              )}
              {!international && <ImagePicker images={images} onChange={setImages} />}

              <RecipientsField
                mode={recipientMode}
                onMode={setRecipientMode}
                listText={listText}
                onListText={setListText}
                count={listRecipients.length}
                csvFile={csvFile}
                onCsvFile={setCsvFile}
                onTemplate={downloadTemplate}
              />

              <SendTimeField
                value={sendTime}
                onChange={setSendTime}
                ad={contentType === 'AD'}
                schedules={scheduleCodes}
              />
              <ErrorNotice error={error} />
              <Group>
                <Button
                  variant="default"
                  onClick={() => void runPreview()}
                  loading={busy === 'preview'}
                  disabled={!sender || !content || !hasRecipients}
                >
                  {t('compose.preview')}
                </Button>
                <Button type="submit" loading={busy === 'send'} disabled={!canSend}>
                  {sendTime.mode === 'reserve'
                    ? t('compose.reserveSubmit')
                    : sendTime.mode === 'schedule'
                      ? t('compose.attachSubmit')
                      : t('compose.send')}
                </Button>
              </Group>
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, md: 5 }}>
          <Stack>
            {result && (
              <Alert
                color="green"
                title={
                  result.statusName === 'reserved'
                    ? t('compose.reserved')
                    : result.statusName === 'scheduled'
                      ? t('compose.scheduled')
                      : t('compose.sent')
                }
                data-testid="send-result"
              >
                <Text size="sm">
                  {t('compose.resultCounts', { accepted: result.accepted, rejected: result.rejected.length })}
                </Text>
                <Text size="xs" ff="monospace">
                  {'requestId' in result ? result.requestId : result.scheduleCode}
                </Text>
                {result.rejected.map((r) => (
                  <Text size="xs" c="red" key={r.index}>
                    {r.to}: {r.code} — {r.message}
                  </Text>
                ))}
              </Alert>
            )}
            {bulk && <BulkProgress upload={bulk.upload} answer={bulk.answer} />}
            {preview && <PreviewPanel plan={preview} />}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

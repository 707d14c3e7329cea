import { Badge, Group, Progress, Stack, Text, Textarea } from '@mantine/core';
import { memo, useDeferredValue, useEffect, useMemo } from 'react';
import { useT } from '../i18n';
import type { DomesticAnalysis, InternationalAnalysis } from '../rules/analyze';
import { useRules } from '../rules/use-rules';

/** The text with the characters CP949 cannot carry marked (shown only when there are some). */
const UnencodableText = memo(function UnencodableText({
  content,
  marks,
}: {
  content: string;
  marks: DomesticAnalysis['unencodable'];
}) {
  const t = useT();
  if (marks.length === 0) return null;
  const pieces: (string | { mark: string; index: number })[] = [];
  let last = 0;
  for (const { index, character } of marks) {
    if (index > last) pieces.push(content.slice(last, index));
    pieces.push({ mark: character, index });
    last = index + character.length;
  }
  pieces.push(content.slice(last));
  return (
    <Stack gap={4} role="status" aria-label={t('compose.unencodableTitle')}>
      <Text size="sm" c="red">
        {t('compose.unencodable', { count: marks.length })}
      </Text>
      <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} data-testid="unencodable-preview">
        {pieces.map((piece, i) =>
          typeof piece === 'string' ? (
            piece
          ) : (
            <mark key={i} title={`U+${(piece.mark.codePointAt(0) ?? 0).toString(16).toUpperCase()}`}>
              {piece.mark}
            </mark>
          ),
        )}
      </Text>
    </Stack>
  );
});

export function DomesticCounter({ analysis }: { analysis: DomesticAnalysis }) {
  const t = useT();
  const over = analysis.bytes > analysis.limit;
  return (
    <Group gap="xs" aria-live="polite" data-testid="counter">
      <Badge
        size="lg"
        color={analysis.type === 'SMS' ? 'blue' : analysis.type === 'LMS' ? 'grape' : 'teal'}
        data-testid="message-type"
      >
        {analysis.type}
      </Badge>
      <Text size="sm" c={over ? 'red' : undefined} data-testid="byte-count">
        {t('compose.bytes', { bytes: analysis.bytes, limit: analysis.limit })}
      </Text>
      <Progress
        value={Math.min(100, (analysis.bytes / analysis.limit) * 100)}
        color={over ? 'red' : 'blue'}
        w={120}
        aria-label={t('compose.bytesBar')}
      />
      {analysis.error && analysis.error.code !== 'CONTENT_EMPTY' && (
        <Text size="sm" c="red">
          {analysis.error.message}
        </Text>
      )}
    </Group>
  );
}

export function InternationalCounter({ analysis }: { analysis: InternationalAnalysis }) {
  const t = useT();
  return (
    <Group gap="xs" aria-live="polite" data-testid="counter">
      <Badge size="lg" color="orange" data-testid="message-type">
        {analysis.encoding === 'GSM7' ? 'GSM-7' : 'UCS-2'}
      </Badge>
      <Text size="sm" data-testid="parts-count">
        {t('compose.parts', { units: analysis.units, parts: analysis.parts })}
      </Text>
      {analysis.nonGsm7.length > 0 && (
        <Text size="sm" c="dimmed">
          {t('compose.nonGsm7', { characters: analysis.nonGsm7.slice(0, 10).join(' ') })}
        </Text>
      )}
      {analysis.error && (
        <Text size="sm" c="red">
          {analysis.error.message}
        </Text>
      )}
    </Group>
  );
}

export interface ContentFieldProps {
  content: string;
  subject: string;
  fileCount: number;
  international: boolean;
  onContent: (content: string) => void;
}

/** The content editor with its live counter: CP949 bytes and SMS→LMS→MMS at home, GSM-7/UCS-2 parts abroad. */
export function ContentField({ content, subject, fileCount, international, onContent }: ContentFieldProps) {
  const t = useT();
  const rules = useRules();
  // The counter may lag a keystroke behind under load; the text field never does.
  const counted = useDeferredValue(content);
  const analysis = useMemo(
    () =>
      rules &&
      (international
        ? rules.analyzeInternational(counted)
        : rules.analyzeDomestic(counted, subject, fileCount)),
    [rules, international, counted, subject, fileCount],
  );
  let counter = (
    <Text size="sm" c="dimmed">
      {t('compose.counterLoading')}
    </Text>
  );
  if (analysis?.kind === 'international') counter = <InternationalCounter analysis={analysis} />;
  if (analysis?.kind === 'domestic') counter = <DomesticCounter analysis={analysis} />;
  // The moment the compose page can count what is typed (read by the e2e test's interactivity figure).
  useEffect(() => {
    if (rules && performance.getEntriesByName('munja:compose-interactive').length === 0) {
      performance.mark('munja:compose-interactive');
    }
  }, [rules]);
  const marks = analysis?.kind === 'domestic' ? analysis.unencodable : [];
  return (
    <Stack gap="xs">
      <Textarea
        label={t('compose.content')}
        value={content}
        onChange={(event) => onContent(event.currentTarget.value)}
        // The browser sizes it to its content (CSS field-sizing); Mantine's autosize measured a hidden copy of
        // the text on every keystroke (getComputedStyle and a forced layout: ~4 ms of a key in 2,000 bytes).
        rows={5}
        resize="vertical"
        styles={{ input: { fieldSizing: 'content', minHeight: '7.5rem', maxHeight: '20rem' } }}
        required
        data-testid="content"
      />
      {counter}
      {!international && <UnencodableText content={counted} marks={marks} />}
    </Stack>
  );
}

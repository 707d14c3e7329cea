import { Alert, Code, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useApi } from '../api/context';
import { ErrorNotice } from '../components/ErrorNotice';
import { formatTime } from '../components/format';
import { useLanguage, useT } from '../i18n';

/** The signed-in key's project. Keys are issued and revoked by the operator (the operator view). */
export function KeysPage() {
  const t = useT();
  const { language } = useLanguage();
  const api = useApi();
  const project = useQuery({ queryKey: ['project'], queryFn: () => api.project() });
  return (
    <Stack>
      <Title order={2}>{t('nav.keys')}</Title>
      <ErrorNotice error={project.error} />
      {project.data && (
        <Paper withBorder p="md">
          <Table>
            <Table.Tbody>
              <Table.Tr>
                <Table.Th w={180}>{t('keys.project')}</Table.Th>
                <Table.Td>{project.data.name}</Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('keys.projectId')}</Table.Th>
                <Table.Td>
                  <Code>{project.data.id}</Code>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('keys.thisKey')}</Table.Th>
                <Table.Td>
                  <Code>{api.key.slice(0, 14)}…</Code>
                </Table.Td>
              </Table.Tr>
              <Table.Tr>
                <Table.Th>{t('keys.created')}</Table.Th>
                <Table.Td>{formatTime(project.data.createdAt, language)}</Table.Td>
              </Table.Tr>
            </Table.Tbody>
          </Table>
        </Paper>
      )}
      <Alert color="blue">
        <Text size="sm">{t('keys.operatorIssues')}</Text>
      </Alert>
    </Stack>
  );
}

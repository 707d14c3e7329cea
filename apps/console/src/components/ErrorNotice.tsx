import { Alert } from '@mantine/core';
import { ApiError } from '../api/client';

/** A failed call as the service explained it: its code, message and field. */
export function ErrorNotice({ error }: { error: unknown }) {
  if (!error) return null;
  const apiError = error instanceof ApiError ? error : null;
  return (
    <Alert color="red" role="alert" title={apiError ? apiError.code : 'Error'}>
      {error instanceof Error ? error.message : String(error)}
      {apiError?.field ? ` (${apiError.field})` : ''}
    </Alert>
  );
}

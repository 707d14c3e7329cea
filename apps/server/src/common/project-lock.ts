import type { EntityManager } from 'typeorm';
import { ApiError } from './api-error';

/**
 * Locks the project's row for the rest of the transaction, so that checks spanning several rows of one
 * project (at most 10 calling numbers, one live 080 service) cannot race. Answers 404 for an unknown project.
 */
export async function lockProject(manager: EntityManager, projectId: string): Promise<void> {
  const rows: unknown[] = await manager.query(`SELECT id FROM projects WHERE id = $1 FOR UPDATE`, [
    projectId,
  ]);
  if (rows.length === 0) throw ApiError.notFound('Project', 'projectId');
}

import type { CallingNumber, OptOutService, ReleaseContext } from '@munja/compliance';
import { In, type EntityManager } from 'typeorm';
import { CallingNumberRow, toCallingNumber } from '../calling-numbers/calling-number.entity';
import { OptOutServiceRow, toOptOutService } from '../opt-out/opt-out.entities';
import { sql } from './sql';

/** A recipient whose block-list entry the release needs: only AD recipients in Korea are looked up. */
export interface BlockListProbe {
  readonly projectId: string;
  readonly number: string;
}

/**
 * What @munja/compliance re-checks at release, for many projects at once: three reads in the caller's
 * transaction (calling numbers, latest 080 services, the block-list entries of just these recipients),
 * however many reservations and messages are released.
 */
export async function readReleaseContexts(
  manager: EntityManager,
  projectIds: readonly string[],
  probes: readonly BlockListProbe[],
): Promise<Map<string, ReleaseContext>> {
  const ids = [...new Set(projectIds)];
  // One after the other: the transaction is one connection, which runs one query at a time anyway (queries
  // sent together are queued by pg, a use it deprecates and prints a warning for).
  const numbers = await manager.getRepository(CallingNumberRow).find({ where: { projectId: In(ids) } });
  const services = await manager.getRepository(OptOutServiceRow).find({ where: { projectId: In(ids) } });
  const blocked =
    probes.length === 0
      ? { rows: [] as BlockListProbe[] }
      : await sql<BlockListProbe>(
          manager,
          `SELECT b.project_id AS "projectId", b.number
             FROM opt_out_blocklist b
             JOIN unnest($1::uuid[], $2::text[]) AS p(project_id, number)
               ON b.project_id = p.project_id AND b.number = p.number`,
          [probes.map((p) => p.projectId), probes.map((p) => p.number)],
        );
  const numbersOf = new Map<string, CallingNumber[]>();
  for (const row of numbers)
    numbersOf.set(row.projectId, [...(numbersOf.get(row.projectId) ?? []), toCallingNumber(row)]);
  const latest = new Map<string, OptOutServiceRow>();
  for (const row of services) {
    const seen = latest.get(row.projectId);
    if (!seen || seen.generation < row.generation) latest.set(row.projectId, row);
  }
  const blockedOf = new Map<string, Set<string>>();
  for (const row of blocked.rows)
    blockedOf.set(row.projectId, (blockedOf.get(row.projectId) ?? new Set()).add(row.number));
  const contexts = new Map<string, ReleaseContext>();
  for (const id of ids) {
    const service = latest.get(id);
    contexts.set(id, {
      callingNumbers: numbersOf.get(id) ?? [],
      optOutService: service ? (toOptOutService(service) as OptOutService) : null,
      blockList: blockedOf.get(id) ?? new Set(),
    });
  }
  return contexts;
}

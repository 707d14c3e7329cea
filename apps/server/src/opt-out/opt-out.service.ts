import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  applyOptOutService,
  assertBlockListEditable,
  cancelOptOutService,
  completeOptOutService,
  isOptOutServiceActive,
  normalizeBlockedNumber,
  OptOutService,
  stopOptOutService,
} from '@munja/compliance';
import { DataSource, EntityManager, In, Repository } from 'typeorm';
import { hashApiKey } from '../auth/api-key-secret';
import { ApiError } from '../common/api-error';
import { CLOCK, Clock } from '../common/clock';
import { lockProject } from '../common/project-lock';
import {
  applyOptOutServiceState,
  BlockedNumberRow,
  BlockSource,
  OptOutServiceRow,
  toOptOutService,
} from './opt-out.entities';
import { BlockedNumberView, OptOutServiceView } from './opt-out.dto';

export function optOutServiceView(row: OptOutServiceRow): OptOutServiceView {
  return { id: row.id, ...toOptOutService(row) };
}

export function blockedNumberView(row: BlockedNumberRow): BlockedNumberView {
  return { number: row.number, source: row.source, createdAt: row.createdAt.toISOString() };
}

/**
 * The 080 opt-out service of a project and its block list. Every status change goes through the state
 * machine of @munja/compliance; the project row is locked while one is made, so two requests cannot both
 * pass a check (one live service per project).
 */
@Injectable()
export class OptOutService080 {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(OptOutServiceRow) private readonly services: Repository<OptOutServiceRow>,
    @InjectRepository(BlockedNumberRow) private readonly blocked: Repository<BlockedNumberRow>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The project's latest subscription (any status), or null. */
  async latest(projectId: string, manager?: EntityManager): Promise<OptOutServiceRow | null> {
    const repository = manager ? manager.getRepository(OptOutServiceRow) : this.services;
    return repository.findOne({ where: { projectId }, order: { generation: 'DESC' } });
  }

  async current(projectId: string): Promise<OptOutServiceRow> {
    const row = await this.latest(projectId);
    if (!row) throw ApiError.notFound('080 opt-out service');
    return row;
  }

  /** For the send path: the service in its pure shape (AD needs it COMPLETE), or null. */
  async serviceForReview(projectId: string): Promise<OptOutService | null> {
    const row = await this.latest(projectId);
    return row && isOptOutServiceActive(toOptOutService(row)) ? toOptOutService(row) : null;
  }

  /**
   * For the send path: which of `numbers` (normalized digits) are on the project's block list. With `manager`,
   * read inside that transaction (a bulk send looks each chunk up while it holds one; on PGlite another
   * connection would wait for it to end).
   */
  async blockedAmong(
    projectId: string,
    numbers: readonly string[],
    manager?: EntityManager,
  ): Promise<Set<string>> {
    if (numbers.length === 0) return new Set();
    const repository = manager ? manager.getRepository(BlockedNumberRow) : this.blocked;
    const rows = await repository.find({
      select: { number: true },
      where: { projectId, number: In([...new Set(numbers)]) },
    });
    return new Set(rows.map((row) => row.number));
  }

  async apply(projectId: string, companyName: string): Promise<OptOutServiceRow> {
    return this.dataSource.transaction(async (manager) => {
      await lockProject(manager, projectId);
      const previous = await this.latest(projectId, manager);
      const next = applyOptOutService(
        { companyName },
        this.clock.now(),
        previous ? toOptOutService(previous) : null,
      );
      const repository = manager.getRepository(OptOutServiceRow);
      return repository.save(
        applyOptOutServiceState(repository.create({ projectId, arsTokenHash: null }), next),
      );
    });
  }

  async cancel(projectId: string): Promise<OptOutServiceRow> {
    return this.change(projectId, (service, now) => cancelOptOutService(service, now));
  }

  /** Operator: the 080 number was issued. */
  async complete(projectId: string, number080: string): Promise<OptOutServiceRow> {
    return this.change(projectId, (service, now) => completeOptOutService(service, number080, now));
  }

  /** Stops the service and erases its block list in the same transaction. */
  async stop(projectId: string): Promise<OptOutServiceRow> {
    return this.change(
      projectId,
      (service, now) => stopOptOutService(service, now).service,
      async (manager) => {
        await manager.getRepository(BlockedNumberRow).delete({ projectId });
      },
    );
  }

  private async change(
    projectId: string,
    transition: (service: OptOutService, now: Date) => OptOutService,
    alongside?: (manager: EntityManager) => Promise<void>,
  ): Promise<OptOutServiceRow> {
    return this.dataSource.transaction(async (manager) => {
      await lockProject(manager, projectId);
      const row = await this.latest(projectId, manager);
      if (!row) throw ApiError.notFound('080 opt-out service');
      const next = transition(toOptOutService(row), this.clock.now());
      if (next.status === 'STOPPED' || next.status === 'CANCELED') row.arsTokenHash = null;
      await alongside?.(manager);
      return manager.getRepository(OptOutServiceRow).save(applyOptOutServiceState(row, next));
    });
  }

  /** Issues the secret for the ARS stand-in's path (replacing any earlier one). Needs a COMPLETE service. */
  async issueArsToken(projectId: string): Promise<string> {
    return this.dataSource.transaction(async (manager) => {
      await lockProject(manager, projectId);
      const row = await this.latest(projectId, manager);
      assertBlockListEditable(row ? toOptOutService(row) : null);
      const token = 'ars_' + randomBytes(24).toString('base64url');
      row!.arsTokenHash = hashApiKey(token);
      await manager.getRepository(OptOutServiceRow).save(row!);
      return token;
    });
  }

  async listBlocked(
    projectId: string,
    options: { page: number; size: number; number?: string },
  ): Promise<{ items: BlockedNumberRow[]; total: number }> {
    const where = {
      projectId,
      ...(options.number ? { number: normalizeBlockedNumber(options.number) } : {}),
    };
    const [items, total] = await this.blocked.findAndCount({
      where,
      order: { createdAt: 'DESC', number: 'ASC' },
      skip: (options.page - 1) * options.size,
      take: options.size,
    });
    return { items, total };
  }

  /** Adds a number (idempotent): `created` is false when it was already there. */
  async block(
    projectId: string,
    input: string,
    source: BlockSource,
  ): Promise<{ row: BlockedNumberRow; created: boolean }> {
    const number = normalizeBlockedNumber(input);
    return this.dataSource.transaction(async (manager) => {
      // Locked like stop(), so an entry cannot land after a concurrent stop erased the list.
      await lockProject(manager, projectId);
      const service = await this.latest(projectId, manager);
      assertBlockListEditable(service ? toOptOutService(service) : null);
      const repository = manager.getRepository(BlockedNumberRow);
      const inserted: unknown[] = await manager.query(
        `INSERT INTO opt_out_blocklist (project_id, number, source, created_at) VALUES ($1, $2, $3, $4)
         ON CONFLICT (project_id, number) DO NOTHING RETURNING number`,
        [projectId, number, source, this.clock.now()],
      );
      const row = await repository.findOneOrFail({ where: { projectId, number } });
      return { row, created: inserted.length > 0 };
    });
  }

  async unblock(projectId: string, input: string): Promise<void> {
    const number = normalizeBlockedNumber(input);
    await this.dataSource.transaction(async (manager) => {
      await lockProject(manager, projectId);
      const service = await this.latest(projectId, manager);
      assertBlockListEditable(service ? toOptOutService(service) : null);
      const result = await manager.getRepository(BlockedNumberRow).delete({ projectId, number });
      if (!result.affected) throw ApiError.notFound('Blocked number', 'number');
    });
  }

  /** The ARS stand-in: the token in the path names the project. */
  async blockFromArs(token: string, callerNumber: string): Promise<BlockedNumberRow> {
    const service = await this.services.findOne({ where: { arsTokenHash: hashApiKey(token) } });
    if (!service) throw ApiError.notFound('ARS line');
    return (await this.block(service.projectId, callerNumber, 'ARS')).row;
  }
}

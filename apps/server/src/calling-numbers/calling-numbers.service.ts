import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import {
  CallingNumber,
  CallingNumberEvent,
  registerCallingNumber,
  transitionCallingNumber,
  VerificationMethod,
} from '@munja/compliance';
import type { CallingNumberStatus } from '@munja/compliance';
import { DataSource, Repository } from 'typeorm';
import { ApiError } from '../common/api-error';
import { CLOCK, Clock } from '../common/clock';
import { lockProject } from '../common/project-lock';
import { ShortLivedCache } from '../common/short-lived-cache';
import { Environment } from '../config/environment';
import { applyCallingNumber, CallingNumberRow, toCallingNumber } from './calling-number.entity';
import { CallingNumberView } from './calling-numbers.dto';

export function callingNumberView(row: CallingNumberRow): CallingNumberView {
  return {
    id: row.id,
    number: row.number,
    method: row.method,
    status: row.status,
    rejectReason: row.rejectReason,
    requestedAt: row.requestedAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** Calling numbers of a project; every state change goes through @munja/compliance's state machine. */
@Injectable()
export class CallingNumbersService {
  private readonly maxPerProject: number;
  /** each project's numbers as the send path last read them (see forSenderCheck) */
  private readonly senders: ShortLivedCache<CallingNumber[]>;

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(CallingNumberRow) private readonly rows: Repository<CallingNumberRow>,
    @Inject(CLOCK) private readonly clock: Clock,
    config: ConfigService<Environment, true>,
  ) {
    this.maxPerProject = config.get('MUNJA_MAX_CALLING_NUMBERS', { infer: true });
    this.senders = new ShortLivedCache(config.get('MUNJA_AUTH_CACHE_MS', { infer: true }));
  }

  async register(
    projectId: string,
    input: { number: string; method: VerificationMethod },
  ): Promise<CallingNumberRow> {
    const saved = await this.dataSource.transaction(async (manager) => {
      await lockProject(manager, projectId);
      const repository = manager.getRepository(CallingNumberRow);
      const existing = await repository.find({ where: { projectId } });
      const registered = registerCallingNumber(input, existing.map(toCallingNumber), this.clock.now(), {
        maxPerProject: this.maxPerProject,
      });
      return repository.save(applyCallingNumber(repository.create({ projectId }), registered));
    });
    this.senders.forget(projectId);
    return saved;
  }

  async list(projectId: string, status?: CallingNumberStatus): Promise<CallingNumberRow[]> {
    return this.rows.find({
      where: { projectId, ...(status ? { status } : {}) },
      order: { requestedAt: 'ASC', id: 'ASC' },
    });
  }

  async get(projectId: string, id: string): Promise<CallingNumberRow> {
    const row = await this.rows.findOne({ where: { projectId, id } });
    if (!row) throw ApiError.notFound('Calling number', 'id');
    return row;
  }

  /**
   * The project's calling numbers in the state machine's shape (the send path checks `from` against them).
   * `reuse`: a read of the last MUNJA_AUTH_CACHE_MS will do — only for a caller whose store re-checks the
   * number in the same statement (MessagesService's send writer), since an approval may end meanwhile.
   */
  async forSenderCheck(projectId: string, options: { reuse?: boolean } = {}): Promise<CallingNumber[]> {
    const read = async () => (await this.rows.find({ where: { projectId } })).map(toCallingNumber);
    if (!options.reuse) return read();
    return (await this.senders.get(projectId, read)) ?? [];
  }

  /** The store found the cached numbers out of date (a change made by another process): read them again. */
  forgetSenders(projectId: string): void {
    this.senders.forget(projectId);
  }

  /** Operator: approve. A number still READY is first taken IN-PROGRESS (the operator's check starts and ends). */
  async approve(projectId: string, id: string): Promise<CallingNumberRow> {
    return this.decide(projectId, id, { type: 'APPROVE' });
  }

  async reject(projectId: string, id: string, reason?: string): Promise<CallingNumberRow> {
    return this.decide(projectId, id, { type: 'REJECT', ...(reason === undefined ? {} : { reason }) });
  }

  private async decide(projectId: string, id: string, event: CallingNumberEvent): Promise<CallingNumberRow> {
    const decided = await this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(CallingNumberRow);
      const row = await repository.findOne({ where: { projectId, id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw ApiError.notFound('Calling number', 'id');
      const now = this.clock.now();
      let current = toCallingNumber(row);
      if (current.status === 'READY') current = transitionCallingNumber(current, { type: 'START' }, now);
      return repository.save(applyCallingNumber(row, transitionCallingNumber(current, event, now)));
    });
    this.senders.forget(projectId);
    return decided;
  }
}

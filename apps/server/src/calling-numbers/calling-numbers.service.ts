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

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @InjectRepository(CallingNumberRow) private readonly rows: Repository<CallingNumberRow>,
    @Inject(CLOCK) private readonly clock: Clock,
    config: ConfigService<Environment, true>,
  ) {
    this.maxPerProject = config.get('MUNJA_MAX_CALLING_NUMBERS', { infer: true });
  }

  async register(
    projectId: string,
    input: { number: string; method: VerificationMethod },
  ): Promise<CallingNumberRow> {
    return this.dataSource.transaction(async (manager) => {
      await lockProject(manager, projectId);
      const repository = manager.getRepository(CallingNumberRow);
      const existing = await repository.find({ where: { projectId } });
      const registered = registerCallingNumber(input, existing.map(toCallingNumber), this.clock.now(), {
        maxPerProject: this.maxPerProject,
      });
      return repository.save(applyCallingNumber(repository.create({ projectId }), registered));
    });
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

  /** The project's calling numbers in the state machine's shape (the send path checks `from` against them). */
  async forSenderCheck(projectId: string): Promise<CallingNumber[]> {
    return (await this.rows.find({ where: { projectId } })).map(toCallingNumber);
  }

  /** Operator: approve. A number still READY is first taken IN-PROGRESS (the operator's check starts and ends). */
  async approve(projectId: string, id: string): Promise<CallingNumberRow> {
    return this.decide(projectId, id, { type: 'APPROVE' });
  }

  async reject(projectId: string, id: string, reason?: string): Promise<CallingNumberRow> {
    return this.decide(projectId, id, { type: 'REJECT', ...(reason === undefined ? {} : { reason }) });
  }

  private async decide(projectId: string, id: string, event: CallingNumberEvent): Promise<CallingNumberRow> {
    return this.dataSource.transaction(async (manager) => {
      const repository = manager.getRepository(CallingNumberRow);
      const row = await repository.findOne({ where: { projectId, id }, lock: { mode: 'pessimistic_write' } });
      if (!row) throw ApiError.notFound('Calling number', 'id');
      const now = this.clock.now();
      let current = toCallingNumber(row);
      if (current.status === 'READY') current = transitionCallingNumber(current, { type: 'START' }, now);
      return repository.save(applyCallingNumber(row, transitionCallingNumber(current, event, now)));
    });
  }
}

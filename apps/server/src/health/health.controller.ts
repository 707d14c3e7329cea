import { Controller, Get, Inject, Optional, Res } from '@nestjs/common';
import {
  ApiExtraModels,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  getSchemaPath,
} from '@nestjs/swagger';
import { InjectDataSource } from '@nestjs/typeorm';
import type { FastifyReply } from 'fastify';
import { DataSource } from 'typeorm';
import { Public } from '../auth/principal';
import { READINESS_CHECKS, ReadinessCheck } from './readiness';
import { CheckOutcome, ReadinessState } from './readiness-state';

/** How long the database may take to answer `SELECT 1` before it counts as down. */
const DATABASE_TIMEOUT_MS = 3000;

function withTimeout<T>(work: Promise<T>, ms: number, what: string): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) =>
      setTimeout(() => reject(new Error(`${what} did not answer within ${ms} ms`)), ms).unref(),
    ),
  ]);
}

function reasonOf(error: unknown): string {
  const text = error instanceof Error ? error.message : String(error);
  return text.split('\n')[0]!.slice(0, 200);
}

export class CheckOutcomeView implements CheckOutcome {
  @ApiProperty({ enum: ['up', 'down'] }) status!: 'up' | 'down';
  @ApiPropertyOptional({ description: 'why it is down, in a few words' }) reason?: string;
}

export class LiveView {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
}

export class ReadyView {
  @ApiProperty({ enum: ['ok'] }) status!: 'ok';
  @ApiProperty({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(CheckOutcomeView) },
    description: '`database` and `plugin:<id>`',
  })
  checks!: Record<string, CheckOutcomeView>;
}

@ApiTags('health')
@ApiExtraModels(CheckOutcomeView)
@Public()
@Controller('health')
export class HealthController {
  private readonly state = new ReadinessState();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    @Optional() @Inject(READINESS_CHECKS) private readonly extraChecks: ReadinessCheck[] = [],
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @ApiOkResponse({ type: LiveView })
  live(): LiveView {
    return { status: 'ok' };
  }

  /**
   * The process can do its work: the database answers and each plugin is healthy. 503 names every failing check
   * with a short reason (in the error shape, plus `checks`); a change of state is logged once.
   */
  @Get('ready')
  @ApiOperation({
    summary: 'Readiness: the database and each plugin answer; 503 NOT_READY names each failing check and why',
  })
  @ApiOkResponse({ type: ReadyView })
  async ready(@Res({ passthrough: true }) reply: FastifyReply): Promise<unknown> {
    const checks: Record<string, CheckOutcome> = {};
    const database = withTimeout(this.dataSource.query('SELECT 1'), DATABASE_TIMEOUT_MS, 'the database')
      .then((): CheckOutcome => ({ status: 'up' }))
      .catch((error: unknown): CheckOutcome => ({ status: 'down', reason: reasonOf(error) }));
    const plugins = (this.extraChecks ?? []).map((check) =>
      check().catch((error: unknown) => ({ readiness: { status: 'down', problem: reasonOf(error) } })),
    );
    checks.database = await database;
    for (const result of await Promise.all(plugins)) {
      for (const [name, detail] of Object.entries(result)) {
        const { status, problem } = detail as { status: string; problem?: unknown };
        checks[name] =
          status === 'up' ? { status: 'up' } : { status: 'down', reason: String(problem ?? 'down') };
      }
    }
    this.state.record(checks);
    const failing = Object.entries(checks).filter(([, outcome]) => outcome.status === 'down');
    if (failing.length === 0) return { status: 'ok', checks } satisfies ReadyView;
    void reply.status(503).header('retry-after', '5');
    return {
      statusCode: 503,
      code: 'NOT_READY',
      message: `not ready: ${failing.map(([name, outcome]) => `${name}: ${outcome.reason}`).join('; ')}`,
      checks,
    };
  }
}

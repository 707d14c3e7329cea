import { Controller, Get } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
import { HealthCheck, HealthCheckResult, HealthCheckService, TypeOrmHealthIndicator } from '@nestjs/terminus';
import { Public } from '../auth/principal';
import { READINESS_CHECKS, ReadinessCheck } from './readiness';
import { Inject, Optional } from '@nestjs/common';

@ApiTags('health')
@Public()
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly database: TypeOrmHealthIndicator,
    @Optional() @Inject(READINESS_CHECKS) private readonly extraChecks: ReadinessCheck[] = [],
  ) {}

  /** The process is up and serving HTTP. */
  @Get('live')
  @ApiOperation({ summary: 'Liveness: the process is up and serving HTTP' })
  @HealthCheck()
  live(): Promise<HealthCheckResult> {
    return this.health.check([]);
  }

  /** The process can do its work: the database answers (and, once wired, each plugin). */
  @Get('ready')
  @ApiOperation({ summary: 'Readiness: the database (and each readiness check) answers; 503 otherwise' })
  @HealthCheck()
  ready(): Promise<HealthCheckResult> {
    return this.health.check([
      () => this.database.pingCheck('database', { timeout: 3000 }),
      ...(this.extraChecks ?? []),
    ]);
  }
}

import { Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';
import { HealthController } from './health.controller';

@Module({
  // TerminusModule stays for HealthIndicatorService, which the plugins' readiness checks use.
  imports: [TerminusModule],
  controllers: [HealthController],
})
export class HealthModule {}

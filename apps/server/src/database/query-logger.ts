import { Logger as NestLogger } from '@nestjs/common';
import type { Logger as TypeOrmLogger } from 'typeorm';

/**
 * TypeORM's messages through the service's logger, never with a query's parameters: they can hold what a
 * client sent (webhook secrets, message text), and logs must not. A failed query is logged at debug level
 * (most are expected: a duplicate key that the caller turns into 409); the caller decides what is an error.
 */
export class QueryLogger implements TypeOrmLogger {
  private readonly logger = new NestLogger('Database');

  logQuery(): void {}

  logQueryError(error: string | Error, query: string): void {
    const reason = error instanceof Error ? error.message : error;
    this.logger.debug(`query failed (${reason}): ${query.replace(/\s+/g, ' ').slice(0, 300)}`);
  }

  logQuerySlow(time: number, query: string): void {
    this.logger.warn(`slow query (${time} ms): ${query.replace(/\s+/g, ' ').slice(0, 300)}`);
  }

  logSchemaBuild(): void {}

  logMigration(message: string): void {
    // start-up stays one screen: migration progress only at LOG_LEVEL=debug
    this.logger.debug(message);
  }

  // TypeORM calls this whatever the `logging` option says; its one warning here (PGlite cannot install
  // uuid-ossp, which the migrations do not need: gen_random_uuid is built in) printed at every start.
  log(_level: 'log' | 'info' | 'warn', message: unknown): void {
    this.logger.debug(String(message));
  }
}

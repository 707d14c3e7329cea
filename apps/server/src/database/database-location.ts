import { Inject, Injectable, Logger, Module, OnApplicationShutdown } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { DataSource } from 'typeorm';
import { ConfigService } from '@nestjs/config';
import { Environment } from '../config/environment';
import { EmbeddedPostgres, startEmbeddedPostgres } from './embedded-postgres';

export const DATABASE_LOCATION = Symbol('DATABASE_LOCATION');
/** A PGlite dump an in-memory embedded database starts from (tests), or null. */
export const EMBEDDED_TEMPLATE = Symbol('EMBEDDED_TEMPLATE');

/** Where the database is: a PostgreSQL server (DATABASE_URL) or the embedded PGlite this process started. */
export interface DatabaseLocation {
  readonly url: string;
  readonly embedded: EmbeddedPostgres | undefined;
}

@Injectable()
class EmbeddedPostgresStopper implements OnApplicationShutdown {
  private readonly logger = new Logger('Database');

  constructor(
    @Inject(DATABASE_LOCATION) private readonly location: DatabaseLocation,
    private readonly moduleRef: ModuleRef,
  ) {}

  /**
   * Closes the pool, then stops PGlite. TypeORM's own module is global, and Nest shuts global modules down
   * last, so without closing the pool here PGlite would stop under an open pool. Modules that need the
   * database while shutting down (finishing in-flight sends, releasing leases) must do that work in
   * onModuleDestroy or beforeApplicationShutdown, which run before any onApplicationShutdown.
   */
  async onApplicationShutdown(): Promise<void> {
    if (!this.location.embedded) return;
    const dataSource = this.moduleRef.get(DataSource, { strict: false });
    if (dataSource.isInitialized) await dataSource.destroy();
    await this.location.embedded.stop();
    this.logger.log('embedded PGlite stopped');
  }
}

@Module({
  providers: [
    {
      provide: DATABASE_LOCATION,
      inject: [ConfigService, EMBEDDED_TEMPLATE],
      useFactory: async (
        config: ConfigService<Environment, true>,
        template: Blob | null,
      ): Promise<DatabaseLocation> => {
        const url = config.get('DATABASE_URL', { infer: true });
        if (url) return { url, embedded: undefined };
        const embedded = await startEmbeddedPostgres({
          dataDir: config.get('MUNJA_PGLITE_DIR', { infer: true }),
          maxConnections: config.get('MUNJA_DB_POOL_SIZE', { infer: true }),
          ...(template ? { loadDataDir: template } : {}),
        });
        return { url: embedded.url, embedded };
      },
    },
    EmbeddedPostgresStopper,
  ],
  exports: [DATABASE_LOCATION],
})
export class DatabaseLocationModule {}

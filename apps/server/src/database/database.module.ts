import { Module } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Environment } from '../config/environment';
import { DATABASE_LOCATION, DatabaseLocation, DatabaseLocationModule } from './database-location';
import { MIGRATIONS } from './migrations';
import { QueryLogger } from './query-logger';
import { openWithLockedMigrations } from './locked-migrations';
import { openForStart } from './start-attempt';

/**
 * How long a pooled connection may stay idle before the pool closes it (node-postgres closes them after 10 s).
 * A PostgreSQL backend loads the catalog entries of the tables a statement plans over once, and the history
 * plans over every day partition of `messages` and their indexes: the first history page on a new connection took
 * 50–60 ms where the next took 5–10 ms (`GET /v1/messages?limit=100` over 100,000 messages, after 12 s idle).
 * The pool is small (MUNJA_DB_POOL_SIZE), so its connections are kept.
 */
export const IDLE_CONNECTION_MS = 10 * 60_000;

/**
 * TypeORM over the `pg` driver, for both a PostgreSQL server and the embedded PGlite. Migrations run at
 * start, under an advisory lock (locked-migrations.ts); `synchronize` is never used. Feature modules register their entities with TypeOrmModule.forFeature.
 */
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      imports: [DatabaseLocationModule],
      inject: [DATABASE_LOCATION, ConfigService],
      useFactory: (location: DatabaseLocation, config: ConfigService<Environment, true>) => ({
        type: 'postgres' as const,
        url: location.url,
        autoLoadEntities: true,
        synchronize: false,
        migrations: MIGRATIONS,
        // run by openWithLockedMigrations, under an advisory lock
        migrationsRun: false,
        migrationsTransactionMode: 'each' as const,
        logging: ['error' as const, 'migration' as const],
        logger: new QueryLogger(),
        extra: {
          max: config.get('MUNJA_DB_POOL_SIZE', { infer: true }),
          idleTimeoutMillis: IDLE_CONNECTION_MS,
        },
        // Fail fast instead of retrying nine times when the database is unreachable.
        retryAttempts: 1,
      }),
      dataSourceFactory: async (options) => {
        if (!options) throw new Error('no data source options');
        // TypeORM closes the data source with the application; a start-up that fails elsewhere has none.
        return openForStart(
          () => openWithLockedMigrations(options),
          async (dataSource) => {
            if (dataSource.isInitialized) await dataSource.destroy();
          },
        );
      },
    }),
  ],
})
export class DatabaseModule {}

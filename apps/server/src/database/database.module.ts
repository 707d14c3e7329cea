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
        extra: { max: config.get('MUNJA_DB_POOL_SIZE', { infer: true }) },
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

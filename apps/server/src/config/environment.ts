import { plainToInstance, Transform } from 'class-transformer';
import {
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  Matches,
  Max,
  Min,
  MinLength,
  validateSync,
} from 'class-validator';

const toBoolean = ({ value }: { value: unknown }): unknown => {
  if (typeof value !== 'string') return value;
  if (/^(true|1|yes)$/i.test(value)) return true;
  if (/^(false|0|no)$/i.test(value)) return false;
  return value;
};

const toInteger = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' && /^-?\d+$/.test(value) ? Number(value) : value;

/**
 * Every setting the service reads from its environment. A wrong or missing value stops start-up with a
 * message naming the variable (see validateEnvironment).
 */
export class Environment {
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT: number = 3000;

  @IsOptional()
  @IsString()
  HOST: string = '127.0.0.1';

  /** A PostgreSQL server; without it the service runs embedded PGlite in MUNJA_PGLITE_DIR. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/.+/, { message: 'DATABASE_URL must be a postgres:// or postgresql:// URL' })
  DATABASE_URL?: string;

  /** Data folder of the embedded PGlite, kept across restarts; `memory://` keeps it in memory (tests). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  MUNJA_PGLITE_DIR: string = './.munja-data/pglite';

  /** Connections in the pool (and the embedded server's connection limit). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(2)
  @Max(100)
  MUNJA_DB_POOL_SIZE: number = 10;

  /** Operator key for operator-only actions; required with DATABASE_URL, generated and kept in the data folder otherwise. */
  @IsOptional()
  @IsString()
  @MinLength(24, { message: 'MUNJA_OPERATOR_KEY must be at least 24 characters' })
  MUNJA_OPERATOR_KEY?: string;

  /** Seed a ready demo project (approved calling number, completed 080 service) at start. */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  MUNJA_DEMO: boolean = true;

  /** How long an uploaded MMS image can be used (SENS keeps files 6 days). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  MUNJA_FILE_TTL_HOURS: number = 6 * 24;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';
}

/** Validates the raw environment; throws one Error naming every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  // Empty strings count as unset, so `FOO= npm start` behaves like not setting FOO.
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const environment = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const errors = validateSync(environment, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const reasons = Object.values(error.constraints ?? {}).join('; ');
      return `  ${error.property}: ${reasons} (got ${JSON.stringify(error.value)})`;
    });
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (environment.DATABASE_URL && !environment.MUNJA_OPERATOR_KEY) {
    throw new Error(
      'Invalid configuration:\n  MUNJA_OPERATOR_KEY: required when DATABASE_URL is set (at least 24 characters)',
    );
  }
  return environment;
}

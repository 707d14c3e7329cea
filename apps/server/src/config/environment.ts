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

/** The shortest report secret: request logs mask path segments of at least this many characters (logging.ts). */
export const REPORT_SECRET_MIN_LENGTH = 24;

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

  /** Request headers must arrive within this (ms); then 408 and the connection is closed. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(600_000)
  MUNJA_HEADERS_TIMEOUT_MS: number = 10_000;

  /** The whole request, body included, must arrive within this (ms): a CSV upload of the largest size too. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  MUNJA_REQUEST_TIMEOUT_MS: number = 300_000;

  /** A connection with no bytes either way for this long is closed (ms): a client that stops mid-body. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  MUNJA_IDLE_TIMEOUT_MS: number = 60_000;

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

  /**
   * Seed a ready demo project (approved calling number, completed 080 service) at start and print its key.
   * Unset: on with the embedded database only; with DATABASE_URL only when set to true explicitly.
   */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  MUNJA_DEMO?: boolean;

  /** How long an uploaded MMS image can be used (SENS keeps files 6 days). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  MUNJA_FILE_TTL_HOURS: number = 6 * 24;

  /**
   * How long an API key's project and a project's calling numbers, once read, are reused before being read
   * again (ms; 0 reads them on every request). Sends never rely on them alone: the statement that stores a
   * send re-checks the key and the calling number, so a revocation or rejection committed anywhere stops the
   * next send at once; other routes see a revocation made by another process within this time.
   */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(60_000)
  MUNJA_AUTH_CACHE_MS: number = 5000;

  /** How long a key found unknown is answered 401 without asking the database again (ms; 0: always ask). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(60_000)
  MUNJA_UNKNOWN_KEY_CACHE_MS: number = 2000;

  /** Requests one API key (or, without a key, one client address) may make per MUNJA_RATE_LIMIT_WINDOW_MS; 0: no limit. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(10_000_000)
  MUNJA_RATE_LIMIT: number = 20_000;

  /** The rate limit's window, in ms. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(3_600_000)
  MUNJA_RATE_LIMIT_WINDOW_MS: number = 1000 * 60;

  /** Failed authentications one client address may have per MUNJA_AUTH_FAILURE_WINDOW_MS before 429; 0: no limit. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(1_000_000)
  MUNJA_AUTH_FAILURE_LIMIT: number = 30;

  /** The failed-authentication window, in ms. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(100)
  @Max(86_400_000)
  MUNJA_AUTH_FAILURE_WINDOW_MS: number = 60_000;

  /** A Redis server (`redis://…`) holding the rate-limit counters, so processes share one budget; default: in-process. */
  @IsOptional()
  @Matches(/^rediss?:\/\/.+/, { message: 'REDIS_URL must be a redis:// or rediss:// URL' })
  REDIS_URL?: string;

  /** Prefix of the rate-limit keys in Redis (several deployments sharing one Redis keep apart). */
  @IsOptional()
  @IsString()
  @MinLength(1)
  MUNJA_REDIS_PREFIX: string = 'munja:rate:';

  /** V8's heap growth past the last full collection, in percent (0: V8's own policy); see memory-policy.ts. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(400)
  MUNJA_HEAP_GROWING_PERCENT: number = 50;

  /** Calling numbers a project may hold (SENS allows 10 per member; more need the vendor's support). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(1000)
  MUNJA_MAX_CALLING_NUMBERS: number = 10;

  /**
   * Provider plugins as a JSON array `[{ "package": "@munja/provider-sens", "id"?: "sens", "config": {…} }]`;
   * without it (and without MUNJA_PLUGINS_FILE) SENS and OMNI are pointed at an in-process simulator.
   */
  @IsOptional()
  @IsString()
  MUNJA_PLUGINS?: string;

  /** A JSON file holding the same array as MUNJA_PLUGINS (keeps vendor secrets out of the environment). */
  @IsOptional()
  @IsString()
  MUNJA_PLUGINS_FILE?: string;

  /**
   * The route table as a JSON array `[{ "countryCode": "82", "type"?: "*", "contentType"?: "*", "plugins": ["sens", "omni"] }]`,
   * first match wins; default: 82 → sens then omni, every other country → omni.
   */
  @IsOptional()
  @IsString()
  MUNJA_ROUTES?: string;

  /** Seed of the embedded simulator (repeatable outcomes). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  MUNJA_SIMULATOR_SEED: number = 1;

  /** Run the dispatcher, reservation and report jobs in this process (off: an API-only process). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  MUNJA_DISPATCH: boolean = true;

  /** Messages one claim takes (and one vendor batch round handles). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(10000)
  MUNJA_DISPATCH_BATCH: number = 500;

  /** Claim loops running at once in this process. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(64)
  MUNJA_DISPATCH_WORKERS: number = 2;

  /** How long a claim holds its rows; a process that dies loses them to the next sweep after this. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(3600)
  MUNJA_DISPATCH_LEASE_SECONDS: number = 60;

  /**
   * Recipients out at vendors with their outcome not yet recorded, per process: the most a crash sends twice.
   * 400 = four SENS calls of 100 recipients.
   */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100000)
  MUNJA_DISPATCH_IN_FLIGHT: number = 400;

  /** Timed sweep (lease recovery, reservations, expiry, and a claim round) when no NOTIFY came, in ms. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(20)
  @Max(600000)
  MUNJA_DISPATCH_SWEEP_MS: number = 1000;

  /** Vendor attempts per plugin before a message moves to the next plugin of its route (or fails). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(50)
  MUNJA_DISPATCH_MAX_ATTEMPTS: number = 5;

  /** First retry delay; doubled each attempt, with jitter, in ms. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(3600000)
  MUNJA_DISPATCH_BACKOFF_MS: number = 2000;

  /** A READY reservation not started this long after its time becomes STALE (never sent late). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(24 * 60)
  MUNJA_RESERVATION_GRACE_MINUTES: number = 10;

  /** A sent message with no final report after this long is closed as EXPIRED (fail). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  MUNJA_REPORT_TIMEOUT_HOURS: number = 72;

  /** How often plugins that poll are asked for delivery reports, in ms. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(50)
  @Max(600000)
  MUNJA_REPORT_POLL_MS: number = 2000;

  /** Secret in the vendor webhook path `/v1/reports/:pluginId/:secret` (or header X-Munja-Report-Secret); webhooks are off without it. */
  @IsOptional()
  @IsString()
  @MinLength(REPORT_SECRET_MIN_LENGTH, {
    message: `MUNJA_REPORT_SECRET must be at least ${REPORT_SECRET_MIN_LENGTH} characters (request logs mask path segments that long)`,
  })
  MUNJA_REPORT_SECRET?: string;

  /** AD inside the night window (21:00–08:00 Asia/Seoul): `reject` refuses the send, `defer` moves it to 08:00. */
  @IsOptional()
  @IsIn(['reject', 'defer'])
  MUNJA_AD_NIGHT_POLICY: 'reject' | 'defer' = 'reject';

  /** AD labels: `insert` adds a missing (광고) prefix and free opt-out footer, `strict` refuses text without them. */
  @IsOptional()
  @IsIn(['insert', 'strict'])
  MUNJA_AD_LABEL: 'insert' | 'strict' = 'insert';

  /** Deliver outbound webhooks from this process (off: another process does it). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  MUNJA_WEBHOOKS: boolean = true;

  /** Timed webhook delivery round when no NOTIFY came, in ms. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(20)
  @Max(600000)
  MUNJA_WEBHOOK_TICK_MS: number = 1000;

  /** How long one webhook POST may take before it counts as failed, in ms. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  @Max(60000)
  MUNJA_WEBHOOK_TIMEOUT_MS: number = 10000;

  /** First webhook retry delay; doubled each attempt (capped at 1 h), with jitter, in ms. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(0)
  @Max(3600000)
  MUNJA_WEBHOOK_BACKOFF_MS: number = 10000;

  /** A webhook event is retried for this long after it happened, then its delivery fails. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(24 * 7)
  MUNJA_WEBHOOK_RETRY_HOURS: number = 24;

  /** An endpoint failing without a single success for this long is disabled. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(24 * 30)
  MUNJA_WEBHOOK_DISABLE_HOURS: number = 24;

  /** An endpoint whose deliveries finally failed this many times in a row is disabled. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(100000)
  MUNJA_WEBHOOK_DISABLE_FAILURES: number = 100;

  /** Let webhook endpoints be on loopback, private or reserved addresses (local development, tests). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  MUNJA_WEBHOOK_ALLOW_PRIVATE: boolean = false;

  /** Run the partition upkeep and retention purge on a timer in this process (src/retention). */
  @IsOptional()
  @Transform(toBoolean)
  @IsBoolean()
  MUNJA_RETENTION: boolean = true;

  /** Days messages, send requests and delivery reports are kept (by request / receipt time). */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1)
  @Max(3650)
  MUNJA_RETENTION_DAYS: number = 30;

  /** How often the retention job runs (first run one interval after start), in ms. */
  @IsOptional()
  @Transform(toInteger)
  @IsInt()
  @Min(1000)
  @Max(86400000)
  MUNJA_RETENTION_TICK_MS: number = 600000;

  @IsOptional()
  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL: string = 'info';
}

/** Settings whose values are secrets (or hold credentials): a refusal names them without their value. */
const SECRET_SETTING = /KEY|SECRET|PASSWORD|TOKEN|DATABASE_URL|REDIS_URL|MUNJA_PLUGINS$/;

/** Validates the raw environment; throws one Error naming every bad variable. */
export function validateEnvironment(raw: Record<string, unknown>): Environment {
  // Empty strings count as unset, so `FOO= npm start` behaves like not setting FOO.
  const present = Object.fromEntries(Object.entries(raw).filter(([, value]) => value !== ''));
  const environment = plainToInstance(Environment, present, { exposeDefaultValues: true });
  const errors = validateSync(environment, { whitelist: false, skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((error) => {
      const reasons = Object.values(error.constraints ?? {}).join('; ');
      // Secrets and keys are never echoed: the message reaches logs and terminals.
      const got = SECRET_SETTING.test(error.property) ? '' : ` (got ${JSON.stringify(error.value)})`;
      return `  ${error.property}: ${reasons}${got}`;
    });
    throw new Error(`Invalid configuration:\n${lines.join('\n')}`);
  }
  if (environment.DATABASE_URL && !environment.MUNJA_OPERATOR_KEY) {
    throw new Error(
      'Invalid configuration:\n  MUNJA_OPERATOR_KEY: required when DATABASE_URL is set (at least 24 characters)',
    );
  }
  // A production database never gets the demo project (and its printed live key) unless asked for by name.
  environment.MUNJA_DEMO ??= !environment.DATABASE_URL;
  return environment;
}

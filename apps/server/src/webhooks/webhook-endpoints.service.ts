import { randomBytes } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { ApiError } from '../common/api-error';
import { CLOCK, type Clock } from '../common/clock';
import type { Environment } from '../config/environment';
import { isPrivateAddress } from './address-guard';
import type {
  CreatedWebhookEndpointView,
  CreateWebhookEndpointDto,
  EndpointStatus,
  UpdateWebhookEndpointDto,
  WebhookEndpointView,
} from './webhooks.dto';
import { iso, query } from './webhook-sql';

/** Endpoints a project may register (each one costs a delivery per event). */
export const MAX_ENDPOINTS_PER_PROJECT = 20;

export interface EndpointRow {
  id: string;
  project_id: string;
  url: string;
  description: string | null;
  secret: string;
  event_types: string[];
  status: EndpointStatus;
  disabled_at: Date | null;
  disabled_reason: string | null;
  failing_since: Date | null;
  consecutive_failures: number;
  last_success_at: Date | null;
  created_at: Date;
  updated_at: Date;
}

export function endpointView(row: EndpointRow): WebhookEndpointView {
  return {
    id: row.id,
    url: row.url,
    description: row.description,
    eventTypes: row.event_types,
    status: row.status,
    disabledAt: iso(row.disabled_at),
    disabledReason: row.disabled_reason,
    failingSince: iso(row.failing_since),
    consecutiveFailures: row.consecutive_failures,
    lastSuccessAt: iso(row.last_success_at),
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A fresh signing secret: 32 random bytes, prefixed so it is recognisable in a secrets scanner. */
export function generateSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/** `*` covers the other types, so a list holding it is stored as just `*`; duplicates are dropped. */
function normaliseEventTypes(types: readonly string[]): string[] {
  return types.includes('*') ? ['*'] : [...new Set(types)].sort();
}

@Injectable()
export class WebhookEndpointsService {
  constructor(
    @InjectDataSource() private readonly db: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
    private readonly config: ConfigService<Environment, true>,
  ) {}

  /**
   * Refuses a URL naming a loopback, private or reserved address outright (names are checked again at each
   * connection, on the address they resolve to).
   */
  private checkUrl(url: string): void {
    if (this.config.get('MUNJA_WEBHOOK_ALLOW_PRIVATE', { infer: true })) return;
    const host = new URL(url).hostname.toLowerCase();
    if (host === 'localhost' || host.endsWith('.localhost') || isPrivateAddress(host)) {
      throw ApiError.badRequest(
        'WEBHOOK_URL_NOT_ALLOWED',
        'url points at a loopback, private or reserved address (the operator can allow it: MUNJA_WEBHOOK_ALLOW_PRIVATE)',
        'url',
      );
    }
  }

  async create(projectId: string, body: CreateWebhookEndpointDto): Promise<CreatedWebhookEndpointView> {
    this.checkUrl(body.url);
    const secret = body.secret ?? generateSecret();
    const now = this.clock.now();
    const row = await this.db.transaction(async (manager) => {
      // Serialises concurrent creates of one project so the limit holds.
      await query(manager, `SELECT id FROM projects WHERE id = $1 FOR UPDATE`, [projectId]);
      const { rows: counted } = await query<{ n: number }>(
        manager,
        `SELECT count(*)::int AS n FROM webhook_endpoints WHERE project_id = $1`,
        [projectId],
      );
      if ((counted[0]?.n ?? 0) >= MAX_ENDPOINTS_PER_PROJECT) {
        throw ApiError.unprocessable(
          'WEBHOOK_ENDPOINT_LIMIT_REACHED',
          `A project may register at most ${MAX_ENDPOINTS_PER_PROJECT} webhook endpoints`,
        );
      }
      const { rows } = await query<EndpointRow>(
        manager,
        `INSERT INTO webhook_endpoints (project_id, url, description, secret, event_types, status, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'ENABLED', $6, $6) RETURNING *`,
        [projectId, body.url, body.description ?? null, secret, normaliseEventTypes(body.eventTypes), now],
      );
      return rows[0]!;
    });
    return { ...endpointView(row), secret };
  }

  async list(projectId: string): Promise<EndpointRow[]> {
    const { rows } = await query<EndpointRow>(
      this.db,
      `SELECT * FROM webhook_endpoints WHERE project_id = $1 ORDER BY created_at, id`,
      [projectId],
    );
    return rows;
  }

  async get(projectId: string, id: string): Promise<EndpointRow> {
    const { rows } = await query<EndpointRow>(
      this.db,
      `SELECT * FROM webhook_endpoints WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    const row = rows[0];
    if (!row) throw ApiError.notFound('Webhook endpoint', 'id');
    return row;
  }

  async update(
    projectId: string,
    id: string,
    body: UpdateWebhookEndpointDto,
  ): Promise<WebhookEndpointView & { secret?: string }> {
    await this.get(projectId, id);
    if (body.url !== undefined) this.checkUrl(body.url);
    const now = this.clock.now();
    const sets: string[] = ['updated_at = $3'];
    const params: unknown[] = [projectId, id, now];
    const set = (column: string, value: unknown) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (body.url !== undefined) set('url', body.url);
    if (body.secret !== undefined) set('secret', body.secret);
    if (body.description !== undefined) set('description', body.description);
    if (body.eventTypes !== undefined) set('event_types', normaliseEventTypes(body.eventTypes));
    if (body.enabled === true) {
      // A fresh start: the failure window and the count begin again with the next failure.
      sets.push(
        `status = 'ENABLED', disabled_at = NULL, disabled_reason = NULL, failing_since = NULL, consecutive_failures = 0`,
      );
    } else if (body.enabled === false) {
      sets.push(
        `disabled_at = CASE WHEN status = 'ENABLED' THEN $3 ELSE disabled_at END`,
        `disabled_reason = CASE WHEN status = 'ENABLED' THEN 'disabled by the project' ELSE disabled_reason END`,
        `status = 'DISABLED'`,
      );
    }
    const { rows } = await query<EndpointRow>(
      this.db,
      `UPDATE webhook_endpoints SET ${sets.join(', ')} WHERE project_id = $1 AND id = $2 RETURNING *`,
      params,
    );
    const row = rows[0];
    if (!row) throw ApiError.notFound('Webhook endpoint', 'id');
    return body.secret === undefined ? endpointView(row) : { ...endpointView(row), secret: body.secret };
  }

  /** Deletes the endpoint with its delivery log; pending deliveries to it are dropped. */
  async remove(projectId: string, id: string): Promise<void> {
    const { affected } = await query(
      this.db,
      `DELETE FROM webhook_endpoints WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    if (affected === 0) throw ApiError.notFound('Webhook endpoint', 'id');
  }
}

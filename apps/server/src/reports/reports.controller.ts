import { Body, Controller, Headers, HttpCode, Inject, Param, Post, Req } from '@nestjs/common';
import { ConfigService } from '@nestjs/config';
import { ApiExcludeController } from '@nestjs/swagger';
import { ProviderError } from '@munja/provider-kit';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { Public } from '../auth/principal';
import { ApiError } from '../common/api-error';
import { CLOCK, type Clock } from '../common/clock';
import type { Environment } from '../config/environment';
import { PluginRegistry } from '../plugins/plugin-registry';
import { ReportStore } from './report-store';

export const REPORT_SECRET_HEADER = 'x-munja-report-secret';

const digest = (value: string): Buffer => createHash('sha256').update(value).digest();

/**
 * Vendor webhooks for delivery reports. Not behind the project key guard: the vendor authenticates with the
 * configured secret, in the path (for vendors that only take a URL) or in a header. The answer says nothing
 * about which part was wrong.
 */
@ApiExcludeController()
@Public()
@Controller('v1/reports')
export class ReportsController {
  constructor(
    private readonly registry: PluginRegistry,
    private readonly store: ReportStore,
    private readonly config: ConfigService<Environment, true>,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post(':pluginId/:secret')
  @HttpCode(200)
  withPathSecret(
    @Param('pluginId') pluginId: string,
    @Param('secret') secret: string,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<{ received: number; msgKey?: string }> {
    return this.receive(pluginId, secret, body, request);
  }

  @Post(':pluginId')
  @HttpCode(200)
  withHeaderSecret(
    @Param('pluginId') pluginId: string,
    @Headers(REPORT_SECRET_HEADER) secret: string | undefined,
    @Body() body: unknown,
    @Req() request: FastifyRequest,
  ): Promise<{ received: number; msgKey?: string }> {
    return this.receive(pluginId, secret, body, request);
  }

  private async receive(
    pluginId: string,
    secret: string | undefined,
    body: unknown,
    request: FastifyRequest,
  ): Promise<{ received: number; msgKey?: string }> {
    const expected = this.config.get('MUNJA_REPORT_SECRET', { infer: true });
    // Compared as digests so the comparison takes the same time whatever the length.
    if (!expected || secret === undefined || !timingSafeEqual(digest(secret), digest(expected)))
      throw ApiError.notFound('Report endpoint');
    const parse = this.registry.has(pluginId) ? this.registry.provider(pluginId).parseWebhook : undefined;
    if (!parse) throw ApiError.notFound('Report endpoint');
    let reports;
    try {
      reports = parse.call(this.registry.provider(pluginId), { headers: request.headers, body });
    } catch (error) {
      if (error instanceof ProviderError) throw ApiError.badRequest('INVALID_REPORT', error.message);
      throw error;
    }
    // The plugin names itself; a renamed plugin's reports must carry the id it is routed by.
    const own = reports.map((r) => (r.pluginId === pluginId ? r : { ...r, pluginId }));
    await this.store.apply(own, 'webhook', this.clock.now());
    // OMNI expects its msgKey echoed for a single report; others ignore the extra field.
    const first = own[0];
    return own.length === 1 && first
      ? { received: 1, msgKey: first.vendorMessageId }
      : { received: own.length };
  }
}

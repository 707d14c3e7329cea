import { PROFILES } from '@munja/rules';
import { definePlugin, type PollResult, type Provider } from '@munja/provider-kit';
import { PLUGIN_ID, validatePostboxConfig, type PostboxConfig } from './config';
import { callPostbox } from './postbox-api';
import { readReports } from './reports';
import { MAX_PER_CALL, sendAll } from './send';

export type { PostboxConfig } from './config';

/**
 * The package's default export: the plugin definition the service loads by package name. `create` is called
 * once per configured account, with a config validateConfig already returned.
 */
export default definePlugin<PostboxConfig>({
  id: PLUGIN_ID,
  displayName: 'Postbox (example plugin)',
  channels: ['SMS'],
  limitProfile: PROFILES.SENS,
  maxRecipientsPerCall: MAX_PER_CALL,
  validateConfig: validatePostboxConfig,
  create(config, context): Provider {
    context.logger.info({ baseUrl: config.baseUrl }, 'postbox provider created');
    return {
      pluginId: PLUGIN_ID,
      send: (messages) => sendAll(config, messages),

      async pollReports({ limit = 100 }): Promise<PollResult> {
        const body = await callPostbox<{ reports: unknown[]; more: boolean }>(
          config,
          'GET',
          `/v1/reports?limit=${limit}`,
        );
        const reports = readReports(body);
        return {
          reports,
          more: body.more,
          // Postbox hands the same reports out again until they are acknowledged: the service calls this
          // only once it has stored them
          acknowledge: async () => {
            if (reports.length === 0) return;
            await callPostbox(config, 'POST', '/v1/reports/ack', {
              reportIds: body.reports.map((r) => (r as { reportId: string }).reportId),
            });
          },
        };
      },

      parseWebhook: (request) => readReports(request.body),

      async health() {
        try {
          await callPostbox(config, 'GET', '/v1/account');
          return { ok: true };
        } catch (error) {
          return { ok: false, detail: (error as Error).message };
        }
      },
    };
  },
});

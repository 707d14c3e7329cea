// Type-checked (not run) with module resolution nodenext: the ESM consumer sees the .d.mts declarations.
import { countBytes, PROFILES, type LimitProfile } from '@munja/rules';
import { reviewRequest, type ReviewResult } from '@munja/compliance';
import { nextOccurrences, type Schedule } from '@munja/scheduling';
import { definePlugin, PluginConfigError, type OutboundMessage, type Provider } from '@munja/provider-kit';
import type { ConformanceHarness } from '@munja/provider-kit/conformance';
import sens from '@munja/provider-sens';
import omni from '@munja/provider-omni';
import { Munja, MunjaError, type SendAnswer } from '@munja/client';

export const bytes: number = countBytes('가');
export const profile: LimitProfile = PROFILES.SENS;
export type Review = ReturnType<typeof reviewRequest> extends ReviewResult ? true : never;
export const next = (schedule: Schedule): Date[] => nextOccurrences(schedule, new Date(0), 1);
export const ids: string[] = [sens.id, omni.id];
export type Harness = ConformanceHarness<{ baseUrl: string }>;
export const send = (munja: Munja): Promise<SendAnswer | unknown> =>
  munja.messages.send({ from: '0212345678', content: 'hi', messages: [{ to: '01012345678' }] });
export const isRefusal = (error: unknown): error is MunjaError => error instanceof MunjaError;

// a third party's plugin, typed by the contract
export const echo = definePlugin<{ prefix: string }>({
  id: 'echo',
  displayName: 'Echo',
  channels: ['SMS'],
  limitProfile: PROFILES.SENS,
  maxRecipientsPerCall: 10,
  validateConfig(raw) {
    if (typeof raw !== 'object' || raw === null)
      throw new PluginConfigError('echo', 'config', 'must be an object');
    return { prefix: String((raw as { prefix?: unknown }).prefix ?? '') };
  },
  create(config): Provider {
    return {
      pluginId: 'echo',
      send: async (messages: readonly OutboundMessage[]) =>
        messages.map((m) => ({
          ref: m.ref,
          accepted: true as const,
          vendorMessageId: config.prefix + m.ref,
        })),
    };
  },
});

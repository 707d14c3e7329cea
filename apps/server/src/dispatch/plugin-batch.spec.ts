import { describe, expect, it } from '@jest/globals';
import type { OutboundMessage, Provider, SendOutcome } from '@munja/provider-kit';
import sensPlugin from '@munja/provider-sens';
import type { ClaimedMessage } from '../lifecycle/message-queue';
import { sendPluginBatch, type PluginBatchContext } from './plugin-batch';
import type { VendorFiles } from './vendor-files';

const now = new Date('2026-12-07T08:00:00.000Z');

const message = (n: number): ClaimedMessage => ({
  id: `0193a000-0000-7000-8000-00000000000${n}`,
  requestTime: now.toISOString(),
  projectId: '0193a000-0000-7000-8000-0000000000aa',
  requestId: '0193a000-0000-7000-8000-0000000000bb',
  toNumber: `0102000000${n}`,
  countryCode: '82',
  fromNumber: '0212345678',
  type: 'SMS',
  contentType: 'COMM',
  subject: null,
  content: 'hello',
  parts: null,
  fileIds: [],
  route: ['sens'],
  routeIndex: 0,
  attempts: 0,
  pluginId: 'sens',
  reservationId: null,
  recovered: false,
});

/** A vendor that takes every message of a call under one request id. */
const takingEverything: Provider = {
  pluginId: 'sens',
  send: async (messages: readonly OutboundMessage[]): Promise<SendOutcome[]> =>
    messages.map((m, i) => ({
      ref: m.ref,
      accepted: true,
      vendorMessageId: `vendor-${i}`,
      vendorRequestId: 'VORSSA-1765094400000-0a1b-2c3d4e5f-6a7b8c9d',
    })),
};

const context = (keepsVendorRequestId: boolean): PluginBatchContext => ({
  pluginId: 'sens',
  provider: takingEverything,
  files: {} as VendorFiles, // no message here has files
  policy: { maxAttempts: 3, backoffMs: 1000, random: () => 0.5 },
  keepsVendorRequestId,
  now: () => now,
});

describe('sendPluginBatch', () => {
  it("keeps the vendor's request id of a sent message only for a plugin that polls with it", async () => {
    const messages = [message(1), message(2)];
    const kept = await sendPluginBatch(context(true), messages);
    expect(kept.steps.map((s) => s.step)).toEqual([
      {
        kind: 'SENT',
        vendorMessageId: 'vendor-0',
        vendorRequestId: 'VORSSA-1765094400000-0a1b-2c3d4e5f-6a7b8c9d',
      },
      {
        kind: 'SENT',
        vendorMessageId: 'vendor-1',
        vendorRequestId: 'VORSSA-1765094400000-0a1b-2c3d4e5f-6a7b8c9d',
      },
    ]);
    const dropped = await sendPluginBatch(context(false), messages);
    expect(dropped.accepted).toBe(2);
    expect(dropped.steps.map((s) => s.step)).toEqual([
      { kind: 'SENT', vendorMessageId: 'vendor-0' },
      { kind: 'SENT', vendorMessageId: 'vendor-1' },
    ]);
  });

  it('SENS asks about a message by its own id: its plugin says it does not poll with the request id', () => {
    expect(sensPlugin.pollsWithVendorRequestId).toBe(false);
  });
});

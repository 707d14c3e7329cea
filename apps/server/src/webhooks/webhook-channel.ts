/** The channel notified (pg_notify, delivered at commit) when a transaction queues webhook deliveries (webhook-events.ts). */
export const WEBHOOK_CHANNEL = 'munja_webhooks';

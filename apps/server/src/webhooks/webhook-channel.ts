/** The channel the outbox triggers notify (pg_notify in the webhooks migration) when they queue deliveries. */
export const WEBHOOK_CHANNEL = 'munja_webhooks';

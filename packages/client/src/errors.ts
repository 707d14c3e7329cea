/** The service's error body: `{statusCode, code, message, field?}`. */
export interface ErrorBody {
  statusCode: number;
  code: string;
  message: string;
  field?: string;
}

/**
 * A refusal from the service (status ≥ 400) with its machine-readable `code` and the request `field` it
 * concerns, or a request that never got an answer (`status` 0, code `NETWORK_ERROR`).
 */
export class MunjaError extends Error {
  override readonly name = 'MunjaError';
  /** the HTTP status; 0 when no answer came (network error) */
  readonly status: number;
  /** stable, UPPER_SNAKE_CASE: branch on this */
  readonly code: string;
  /** the request field (dot path) or header the error concerns */
  readonly field: string | undefined;
  /** seconds the service asked to wait (429/503), when it said */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    init: { status: number; code: string; message: string; field?: string; retryAfterSeconds?: number },
    options?: { cause?: unknown },
  ) {
    super(init.message, options);
    this.status = init.status;
    this.code = init.code;
    this.field = init.field;
    this.retryAfterSeconds = init.retryAfterSeconds;
  }

  /** The error of an answer whose status is ≥ 400 (its body in the service's error shape, or not). */
  static async fromResponse(response: Response): Promise<MunjaError> {
    const text = await response.text().catch(() => '');
    let body: Partial<ErrorBody> = {};
    try {
      const parsed: unknown = JSON.parse(text);
      if (parsed && typeof parsed === 'object') body = parsed as Partial<ErrorBody>;
    } catch {
      // not JSON (a proxy's page): the status speaks
    }
    const retryAfter = parseRetryAfter(response.headers.get('retry-after'), Date.now());
    return new MunjaError({
      status: response.status,
      code: typeof body.code === 'string' ? body.code : `HTTP_${response.status}`,
      message:
        typeof body.message === 'string'
          ? body.message
          : `${response.status} ${response.statusText || 'error'}`.trim(),
      ...(typeof body.field === 'string' ? { field: body.field } : {}),
      ...(retryAfter === undefined ? {} : { retryAfterSeconds: retryAfter / 1000 }),
    });
  }
}

/** `Retry-After` as milliseconds from now: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function parseRetryAfter(value: string | null, nowMs: number): number | undefined {
  if (value === null) return undefined;
  const trimmed = value.trim();
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP-date (RFC 9110 IMF-fixdate, e.g. `Mon, 02 Mar 2026 01:00:10 GMT`); nothing else is a date here.
  if (!/^[A-Za-z]{3}, \d{2} [A-Za-z]{3} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(trimmed)) return undefined;
  const date = Date.parse(trimmed);
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - nowMs);
}

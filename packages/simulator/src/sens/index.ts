import type { FastifyInstance } from 'fastify';
import type { VendorContext } from '../vendor-context';

/** Options of the faked Ncloud SENS v2 (filled in by the SENS fake). */
export interface SensFakeOptions {
  /** placeholder until the SENS fake lands */
  readonly _?: never;
}

/** Test/bench control over the faked SENS. */
export interface SensControl {
  readonly ctx: VendorContext;
}

export function registerSens(
  _app: FastifyInstance,
  ctx: VendorContext,
  _options: SensFakeOptions,
): SensControl {
  return { ctx };
}

import type { FastifyInstance } from 'fastify';
import type { VendorContext } from '../vendor-context';

/** Options of the faked Infobank OMNI (filled in by the OMNI fake). */
export interface OmniFakeOptions {
  /** placeholder until the OMNI fake lands */
  readonly _?: never;
}

/** Test/bench control over the faked OMNI. */
export interface OmniControl {
  readonly ctx: VendorContext;
}

export function registerOmni(
  _app: FastifyInstance,
  ctx: VendorContext,
  _options: OmniFakeOptions,
): OmniControl {
  return { ctx };
}

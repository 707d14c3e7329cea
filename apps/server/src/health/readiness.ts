import type { HealthIndicatorResult } from '@nestjs/terminus';

/**
 * Extra readiness checks (the plugins module provides them): each resolves to a terminus indicator result
 * or throws a HealthCheckError. Provide READINESS_CHECKS in the HealthModule's imports to add some.
 */
export type ReadinessCheck = () => Promise<HealthIndicatorResult>;

export const READINESS_CHECKS = Symbol('READINESS_CHECKS');

import { Module } from '@nestjs/common';

/**
 * PLACEHOLDER until the send path lands: this module will load the provider plugins named in the
 * configuration (by package name), validate each plugin's config at start-up, start the in-process
 * simulator for the embedded default, build the route table and add plugin readiness checks.
 */
@Module({})
export class PluginsModule {}

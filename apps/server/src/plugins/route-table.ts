import type { Channel, ContentType } from '@munja/provider-kit';
import { PluginSetupError, type RouteRule } from './plugin-config';

export const DOMESTIC_COUNTRY_CODE = '82';
const DOMESTIC_CHANNELS: readonly Channel[] = ['SMS', 'LMS', 'MMS'];

export interface RouteInput {
  readonly countryCode: string;
  /** the resolved type; omitted before the rules picked one (then any domestic type, or INTL abroad) */
  readonly type?: Channel;
  readonly contentType: ContentType;
}

/** Why no plugin serves a message (the registry turns it into a 422 NO_ROUTE). */
export class NoRouteError extends Error {
  override readonly name = 'NoRouteError';
}

const matches = (pattern: string, value: string | undefined): boolean =>
  pattern === '*' || value === undefined || pattern === value;

/**
 * The route table: the first rule matching (country, type, content type) gives the ordered plugins; plugins
 * that cannot carry the message's type are skipped, so one rule can serve every domestic type.
 */
export class RouteTable {
  constructor(
    private readonly rules: readonly RouteRule[],
    /** the channels each loaded plugin carries */
    private readonly channels: ReadonlyMap<string, readonly Channel[]>,
  ) {
    this.validate();
  }

  resolve(input: RouteInput): string[] {
    const domestic = input.countryCode === DOMESTIC_COUNTRY_CODE;
    const type: Channel | undefined = input.type ?? (domestic ? undefined : 'INTL');
    if (!domestic && type !== 'INTL')
      throw new NoRouteError(
        `a message to country ${input.countryCode} is international (INTL), not ${type}`,
      );
    if (domestic && type === 'INTL') throw new NoRouteError('a domestic message cannot be INTL');
    const rule = this.rules.find(
      (r) =>
        (r.countryCode === '*' || r.countryCode === input.countryCode) &&
        matches(r.type, type) &&
        (r.contentType === '*' || r.contentType === input.contentType),
    );
    if (!rule)
      throw new NoRouteError(
        `no route for country ${input.countryCode}, type ${type ?? 'any'}, content type ${input.contentType}`,
      );
    const wanted = type ? [type] : DOMESTIC_CHANNELS;
    const pluginIds = rule.plugins.filter((id) => this.channels.get(id)?.some((c) => wanted.includes(c)));
    if (pluginIds.length === 0)
      throw new NoRouteError(
        `no configured plugin carries ${type ?? 'domestic'} messages to ${input.countryCode}`,
      );
    return pluginIds;
  }

  /** Start-up check: every plugin named is loaded and can carry something the rule admits. */
  private validate(): void {
    this.rules.forEach((rule, index) => {
      const admitted: readonly Channel[] =
        rule.type !== '*'
          ? [rule.type as Channel]
          : rule.countryCode === DOMESTIC_COUNTRY_CODE
            ? DOMESTIC_CHANNELS
            : rule.countryCode === '*'
              ? [...DOMESTIC_CHANNELS, 'INTL']
              : ['INTL'];
      if (rule.type === 'INTL' && rule.countryCode === DOMESTIC_COUNTRY_CODE)
        throw new PluginSetupError(`MUNJA_ROUTES[${index}].type`, 'INTL cannot apply to country 82');
      if (
        rule.countryCode !== '*' &&
        rule.countryCode !== DOMESTIC_COUNTRY_CODE &&
        rule.type !== '*' &&
        rule.type !== 'INTL'
      )
        throw new PluginSetupError(
          `MUNJA_ROUTES[${index}].type`,
          `messages abroad are INTL, not ${rule.type}`,
        );
      for (const id of rule.plugins) {
        const channels = this.channels.get(id);
        if (!channels)
          throw new PluginSetupError(
            `MUNJA_ROUTES[${index}].plugins`,
            `names plugin "${id}", which is not loaded`,
          );
        if (!channels.some((c) => admitted.includes(c)))
          throw new PluginSetupError(
            `MUNJA_ROUTES[${index}].plugins`,
            `plugin "${id}" carries ${channels.join(', ')}, none of ${admitted.join(', ')}`,
          );
      }
    });
  }
}

import {
  isPluginDefinition,
  senderPoliciesOf,
  senderPolicyProblems,
  type PluginDefinition,
} from '@munja/provider-kit';
import { PluginSetupError, type PluginEntry } from './plugin-config';

/**
 * Loads a plugin package by name, the way a third party's package loads: `require` resolves it from the
 * server's node_modules (or NODE_PATH), and its default export must be a plugin definition.
 */
export function loadPluginDefinition(entry: PluginEntry, at: string): PluginDefinition {
  let loaded: unknown;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    loaded = require(entry.package) as unknown;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new PluginSetupError(
      `${at}.package`,
      code === 'MODULE_NOT_FOUND'
        ? `package "${entry.package}" is not installed`
        : `package "${entry.package}" failed to load: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  const candidate =
    typeof loaded === 'object' && loaded !== null && 'default' in loaded
      ? (loaded as { default: unknown }).default
      : loaded;
  if (!isPluginDefinition(candidate))
    throw new PluginSetupError(
      `${at}.package`,
      `package "${entry.package}" does not export a plugin definition`,
    );
  const [problem] = senderPolicyProblems(senderPoliciesOf(candidate));
  if (problem !== undefined)
    throw new PluginSetupError(`${at}.package`, `package "${entry.package}" declares a bad ${problem}`);
  return candidate;
}

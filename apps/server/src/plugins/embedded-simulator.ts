import {
  DEFAULT_OMNI_CREDENTIALS,
  SENS_DEFAULTS,
  startSimulator,
  type RunningSimulator,
} from '@munja/simulator';
import type { PluginEntry } from './plugin-config';

/**
 * The calling number the demo project has approved. It is registered at the embedded simulator's SENS "console"
 * from the start, so the demo can send at once.
 */
export const DEMO_CALLING_NUMBER = '0215880000';

/**
 * The embedded default: both faked vendors on an ephemeral loopback port, and the SENS and OMNI plugins
 * pointed at them with the simulator's credentials. Used when no plugin configuration is given, so a newcomer
 * sends without any vendor account; never a substitute for real plugins in production.
 */
export class EmbeddedSimulator {
  private constructor(readonly simulator: RunningSimulator) {}

  static async start(options: { now: () => number; seed?: number }): Promise<EmbeddedSimulator> {
    const simulator = await startSimulator({
      port: 0,
      host: '127.0.0.1',
      seed: options.seed ?? 1,
      now: options.now,
      sens: { callingNumbers: [...new Set([DEMO_CALLING_NUMBER, ...SENS_DEFAULTS.callingNumbers])] },
    });
    return new EmbeddedSimulator(simulator);
  }

  get url(): string {
    return this.simulator.url;
  }

  /** The plugin entries that point SENS and OMNI at this simulator. */
  pluginEntries(): PluginEntry[] {
    return [
      {
        package: '@munja/provider-sens',
        config: {
          serviceId: SENS_DEFAULTS.serviceId,
          accessKey: SENS_DEFAULTS.accessKey,
          secretKey: SENS_DEFAULTS.secretKey,
          baseUrl: this.simulator.url,
        },
      },
      {
        package: '@munja/provider-omni',
        config: {
          clientId: DEFAULT_OMNI_CREDENTIALS.clientId,
          password: DEFAULT_OMNI_CREDENTIALS.password,
          baseUrl: this.simulator.url,
        },
      },
    ];
  }

  /**
   * Approving a calling number in Munja stands for registering it at the vendor's console; the embedded
   * SENS console learns the project's approved numbers the same way.
   */
  registerCallingNumbers(numbers: Iterable<string>): void {
    for (const number of numbers) this.simulator.sens.callingNumbers.add(number);
  }

  stop(): Promise<void> {
    return this.simulator.stop();
  }
}

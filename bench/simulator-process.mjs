// The vendor simulator in its own process (so its work is not counted against the service's CPU or memory),
// with the bench's calling number registered; its counters prove each message reached the vendor once.
import { startChild } from './child-process.mjs';
import { simulatorCli, undici } from './workspace.mjs';

export const CALLING_NUMBER = '0212345678';

export async function startSimulatorProcess() {
  const child = await startChild({
    name: 'simulator',
    args: [simulatorCli, '--port', '0', '--quiet', '--sens-calling-numbers', CALLING_NUMBER],
    ready: (line) =>
      line.startsWith('{') && JSON.parse(line).event === 'ready' ? JSON.parse(line) : undefined,
  });
  const url = child.ready.url;
  return {
    url,
    pid: child.pid,
    stop: child.stop,
    async counters() {
      const response = await undici.request(`${url}/_sim/counters`);
      return response.body.json();
    },
  };
}

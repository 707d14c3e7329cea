import fastifyStatic from '@fastify/static';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** Where the web console is served (/console/; its assets are built with that base: apps/console/vite.config.ts). */
export const CONSOLE_PREFIX = '/console';

/**
 * The built web console (@munja/console's dist), or undefined when it is not built (a server built alone):
 * the API works without it.
 */
export function consoleDistDirectory(): string | undefined {
  let packageJson: string;
  try {
    packageJson = require.resolve('@munja/console/package.json');
  } catch {
    return undefined;
  }
  const dist = join(dirname(packageJson), 'dist');
  return existsSync(join(dist, 'index.html')) ? dist : undefined;
}

/**
 * Serves the console's static files at /console/ (/console redirects there). The console routes by the URL's
 * hash, so every page is index.html and the server needs no fallback route. Hashed assets are cached for a
 * year; index.html is revalidated so a new build shows at once. Registered straight on Fastify, outside the
 * API's key guard: the files hold no data, the browser then calls the API with the key the person enters.
 */
export async function serveConsole(app: NestFastifyApplication, root: string | undefined): Promise<boolean> {
  if (!root) return false;
  await app.register(fastifyStatic, {
    root,
    prefix: CONSOLE_PREFIX,
    redirect: true,
    decorateReply: false,
    cacheControl: false,
    setHeaders(reply, path) {
      void reply.header(
        'Cache-Control',
        path.endsWith('index.html') ? 'no-cache' : 'public, max-age=31536000, immutable',
      );
    },
  });
  return true;
}

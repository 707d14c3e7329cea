import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Environment } from '../config/environment';

type Handler = (request: IncomingMessage, response: ServerResponse) => void;

/**
 * The service's HTTP server, with the timeouts that cut slow clients: the headers must arrive within
 * MUNJA_HEADERS_TIMEOUT_MS and the whole request within MUNJA_REQUEST_TIMEOUT_MS (Node answers 408 and closes), and
 * a connection silent for MUNJA_IDLE_TIMEOUT_MS is closed (a client that announced 100 bytes and sent 10).
 */
export function createHttpServer(
  environment: Pick<
    Environment,
    'MUNJA_HEADERS_TIMEOUT_MS' | 'MUNJA_REQUEST_TIMEOUT_MS' | 'MUNJA_IDLE_TIMEOUT_MS'
  >,
): Server {
  const headersTimeout = environment.MUNJA_HEADERS_TIMEOUT_MS;
  const requestTimeout = Math.max(environment.MUNJA_REQUEST_TIMEOUT_MS, headersTimeout);
  const server = createServer({
    headersTimeout,
    requestTimeout,
    // Node checks both timeouts this often (30 s by default, which would let a 1 s timeout last 30 s).
    connectionsCheckingInterval: Math.min(1000, Math.max(100, Math.floor(headersTimeout / 4))),
  });
  server.setTimeout(environment.MUNJA_IDLE_TIMEOUT_MS, (socket) => socket.destroy());
  // Longer than a load balancer's usual 60 s idle time, so the balancer closes first.
  server.keepAliveTimeout = 65_000;
  return server;
}

const STARTING = JSON.stringify({
  statusCode: 503,
  code: 'STARTING',
  message: 'The service is starting; retry in a few seconds',
});

/**
 * Serves Fastify's handler on `server` once `open()` is called; before that (the port is bound while the
 * database and the modules start) every request is answered 503 STARTING with Retry-After.
 */
export function gatedHandler(server: Server): { attach(handler: Handler): Server; open(): void } {
  let serve: Handler | undefined;
  let handler: Handler | undefined;
  server.on('request', (request: IncomingMessage, response: ServerResponse) => {
    if (serve) return serve(request, response);
    response.writeHead(503, {
      'content-type': 'application/json; charset=utf-8',
      'retry-after': '2',
      'content-length': Buffer.byteLength(STARTING),
    });
    response.end(STARTING);
  });
  return {
    attach(fastifyHandler) {
      handler = fastifyHandler;
      return server;
    },
    open() {
      serve = handler;
    },
  };
}

/** Binds the port first, so a start that cannot have it (EADDRINUSE) stops before touching anything. */
export function bindPort(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const failed = (error: NodeJS.ErrnoException) => {
      server.off('listening', listening);
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `port ${port} on ${host} is already in use (another Munja running?); set PORT to another one`,
            )
          : error,
      );
    };
    const listening = () => {
      server.off('error', failed);
      resolve();
    };
    server.once('error', failed);
    server.once('listening', listening);
    server.listen(port, host);
  });
}

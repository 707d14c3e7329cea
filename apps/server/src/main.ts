import 'reflect-metadata';
import { ConfigService } from '@nestjs/config';
import { createApp } from './app.factory';
import { bindPort, createHttpServer } from './common/http-server';
import { OPERATOR_KEY } from './auth/operator-key';
import { Environment, validateEnvironment } from './config/environment';
import { DATABASE_LOCATION, DatabaseLocation } from './database/database-location';
import { DemoService } from './demo/demo.service';
import { applyHeapGrowing } from './memory-policy';

async function main(): Promise<void> {
  // Before anything is allocated: V8 computes the next heap limit at each full collection, with the flag then.
  const environment = validateEnvironment(process.env);
  applyHeapGrowing(environment.MUNJA_HEAP_GROWING_PERCENT);
  // The port first: a start that cannot have it (EADDRINUSE) stops here, before the data folder is opened,
  // the migrations run or dispatch starts. Until the app is ready, requests are answered 503 STARTING.
  const server = createHttpServer(environment);
  await bindPort(server, environment.PORT, environment.HOST);
  const app = await createApp({ server });
  const config = app.get<ConfigService<Environment, true>>(ConfigService);
  const port = config.get('PORT', { infer: true });
  const host = config.get('HOST', { infer: true });
  const address = app.getHttpServer().address();
  const actualPort = typeof address === 'object' && address ? address.port : port;
  const url = `http://${host === '0.0.0.0' ? '127.0.0.1' : host}:${actualPort}`;

  const lines = [
    `Munja is running at ${url}`,
    `Console:       ${url}/console/`,
    `API docs:      ${url}/docs`,
  ];
  const location = app.get<DatabaseLocation>(DATABASE_LOCATION, { strict: false });
  lines.push(
    location.embedded
      ? `Database:      embedded PGlite in ${location.embedded.dataDir ?? 'memory'}`
      : 'Database:      PostgreSQL (DATABASE_URL)',
  );
  let next: string[] = [];
  if (config.get('MUNJA_DEMO', { infer: true })) {
    const demo = await app.get(DemoService).seed();
    lines.push(
      `Demo project:  ${demo.projectId} (calling number ${demo.callingNumber} APPROVED, 080 ${demo.optOutNumber} COMPLETE)`,
      `Demo API key:  ${demo.apiKey}`,
    );
    next = nextStep(url, demo.apiKey, demo.callingNumber);
  }
  if (!config.get('MUNJA_OPERATOR_KEY', { infer: true })) {
    lines.push(`Operator key:  ${app.get<string>(OPERATOR_KEY, { strict: false })}`);
  } else {
    lines.push('Operator key:  from MUNJA_OPERATOR_KEY');
  }
  // The banner goes to stdout as plain text on purpose: it is for the person who just ran `npm start`.
  process.stdout.write(`\n${[...lines, ...next].join('\n')}\n\n`);
}

/** The banner's last lines: a send to copy and paste with the printed key, and where to watch it complete. */
function nextStep(url: string, apiKey: string, callingNumber: string): string[] {
  const body = JSON.stringify({
    from: callingNumber,
    content: 'Hello from Munja',
    messages: [{ to: '010-1234-5678' }],
  });
  return [
    '',
    'Next step: send a text, then watch it reach COMPLETED (the simulator delivers within seconds)',
    `  export MUNJA_URL=${url} MUNJA_KEY=${apiKey}`,
    `  curl -s -X POST "$MUNJA_URL/v1/messages" -H "Authorization: Bearer $MUNJA_KEY" -H 'Content-Type: application/json' -d '${body}'`,
    `  curl -s "$MUNJA_URL/v1/messages" -H "Authorization: Bearer $MUNJA_KEY"     # history, or ${url}/console/`,
  ];
}

main().catch((error: unknown) => {
  process.stderr.write(`munja: failed to start: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});

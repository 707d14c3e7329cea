import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { createApp } from '../app.factory';

/**
 * Writes the document the service serves at /docs-json to a file, without listening: `node
 * dist/openapi/write-document.js <file>` (the contract file packages/client/openapi.json is written this way).
 */
export async function servedDocument(): Promise<unknown> {
  const app = await createApp({
    env: {
      LOG_LEVEL: 'silent',
      MUNJA_DEMO: 'false',
      MUNJA_PGLITE_DIR: 'memory://',
      DATABASE_URL: undefined,
      MUNJA_DISPATCH: 'false',
      MUNJA_WEBHOOKS: 'false',
      MUNJA_OPERATOR_KEY: `mk_op_${randomBytes(16).toString('hex')}`,
    },
    shutdownHooks: false,
  });
  try {
    const answer = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs-json' });
    if (answer.statusCode !== 200) throw new Error(`/docs-json answered ${answer.statusCode}`);
    return JSON.parse(answer.body) as unknown;
  } finally {
    await app.close();
  }
}

/** The document as the contract file holds it: two-space JSON and a final newline. */
export function documentText(document: unknown): string {
  return `${JSON.stringify(document, null, 2)}\n`;
}

if (require.main === module) {
  const target = process.argv[2];
  if (!target) {
    process.stderr.write('usage: node dist/openapi/write-document.js <file>\n');
    process.exit(2);
  }
  servedDocument()
    .then((document) => writeFile(target, documentText(document)))
    .catch((error: unknown) => {
      process.stderr.write(
        `openapi: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
      );
      process.exit(1);
    });
}

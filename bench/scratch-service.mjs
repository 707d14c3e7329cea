// One build of the service (an API-only or a full process) on a fresh scratch database, with the bench's project:
// what the A/B scripts measure in each round. The process is stopped and the database dropped after `use`.
import { join } from 'node:path';
import { benchPostgresUrl, createScratchDatabase } from './scratch-database.mjs';
import { benchProject, serviceClient } from './service-client.mjs';
import { startServiceProcess } from './service-process.mjs';
import { root } from './workspace.mjs';

export async function withScratchService(
  { postgresUrl = benchPostgresUrl, simulatorUrl, build = 'dist', dispatch = false },
  use,
) {
  const scratch = await createScratchDatabase(postgresUrl);
  let service;
  try {
    service = await startServiceProcess({
      databaseUrl: scratch.url,
      simulatorUrl,
      dispatch,
      main: join(root, 'apps', 'server', build, 'main.js'),
    });
  } catch (error) {
    await scratch.drop();
    throw error;
  }
  const client = serviceClient(service.url);
  try {
    const project = await benchProject(client, service.operatorKey);
    return await use({ service, client, project, database: scratch.name });
  } finally {
    await client.close();
    await service.stop();
    await scratch.drop();
  }
}

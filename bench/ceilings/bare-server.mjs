// A bare Fastify server on loopback (no NestJS, no database): POST /echo parses the JSON body and answers 202,
// the shape of a send without its work. Prints its URL as a ready line for the parent.
import { createRequire } from 'node:module';

const fastify = createRequire(import.meta.url)(process.argv[2]);
const app = fastify({ logger: false });
app.post('/echo', async (request, reply) =>
  reply.code(202).send({ accepted: 1, to: request.body?.to ?? null }),
);
const url = await app.listen({ port: 0, host: '127.0.0.1' });
console.log(JSON.stringify({ event: 'ready', url }));
process.on('SIGTERM', () => app.close().then(() => process.exit(0)));

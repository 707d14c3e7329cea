import { Pool } from 'undici';
async function main() {
  const pool = new Pool(process.argv[2]!, { connections: Number(process.argv[3] ?? 64) });
  const N = 20000;
  let i = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: Number(process.argv[3] ?? 64) }, async () => {
      while (i < N) {
        i++;
        const r = await pool.request({
          path: '/x',
          method: process.argv[4] === 'post' ? 'POST' : 'GET',
          body: process.argv[4] === 'post' ? '{"a":1}' : undefined,
          headers: { 'content-type': 'application/json' },
        });
        await r.body.text();
      }
    }),
  );
  console.log(
    process.argv.slice(3).join(' '),
    Math.round((N / (performance.now() - started)) * 1000),
    'req/s',
  );
  await pool.close();
}
main();

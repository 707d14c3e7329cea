// Prints the built console's JavaScript and CSS sizes (raw and gzipped), and the first JavaScript: the entry
// chunk plus the chunks index.html preloads, which is what the browser must fetch before the console runs.
import { readFileSync, readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const dist = join(dirname(fileURLToPath(import.meta.url)), '..', 'dist');
const assets = join(dist, 'assets');
const html = readFileSync(join(dist, 'index.html'), 'utf8');
const first = new Set([...html.matchAll(/(?:src|href)="\/console\/assets\/([^"]+\.js)"/g)].map((m) => m[1]));

const kb = (bytes) => `${(bytes / 1024).toFixed(1)} KB`;
let firstRaw = 0;
let firstGzip = 0;
const rows = [];
for (const name of readdirSync(assets).sort()) {
  if (!/\.(js|css)$/.test(name)) continue;
  const content = readFileSync(join(assets, name));
  const gzip = gzipSync(content, { level: 9 }).length;
  const isFirst = first.has(name);
  if (isFirst) {
    firstRaw += content.length;
    firstGzip += gzip;
  }
  rows.push(
    `  ${isFirst ? '*' : ' '} ${name.padEnd(44)} ${kb(content.length).padStart(10)} ${kb(gzip).padStart(10)} gz`,
  );
}
console.log('console bundle (* = loaded first):');
console.log(rows.join('\n'));
console.log(`first JavaScript: ${kb(firstRaw)} raw, ${kb(firstGzip)} gzipped (budget 300 KB gzipped)`);

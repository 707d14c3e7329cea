// What a packed package.json must say before npm sees it: no `workspace:` range left, the licence, the
// repository, and an exports map whose every file is in the tarball.
import { spawnSync } from 'node:child_process';

function tar(args) {
  const result = spawnSync('tar', args, { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (result.status !== 0) throw new Error(`tar ${args.join(' ')}: ${result.stderr}`);
  return result.stdout;
}

function exportedFiles(exportsMap) {
  if (typeof exportsMap === 'string') return [exportsMap];
  return Object.values(exportsMap ?? {}).flatMap(exportedFiles);
}

export function checkManifest(tarball) {
  const manifest = JSON.parse(tar(['-xzOf', tarball, 'package/package.json']));
  const files = new Set(tar(['-tzf', tarball]).split('\n').filter(Boolean));
  const problems = [];
  const ranges = { ...manifest.dependencies, ...manifest.peerDependencies, ...manifest.optionalDependencies };
  for (const [name, range] of Object.entries(ranges))
    if (String(range).startsWith('workspace:')) problems.push(`dependency ${name} is still ${range}`);
  if (manifest.license !== 'Apache-2.0') problems.push(`license is ${manifest.license}`);
  if (!manifest.repository?.url) problems.push('no repository');
  if (manifest.private) problems.push('private');
  for (const file of ['package/LICENSE', 'package/README.md'])
    if (!files.has(file)) problems.push(`${file} is not packed`);
  for (const file of exportedFiles(manifest.exports)) {
    const path = `package/${file.replace(/^\.\//, '')}`;
    if (!files.has(path)) problems.push(`exports names ${file}, which is not packed`);
  }
  for (const condition of ['import', 'require'])
    if (!manifest.exports?.['.']?.[condition]?.types) problems.push(`exports["."].${condition} has no types`);
  if (problems.length > 0) throw new Error(`${manifest.name}: ${problems.join('; ')}`);
  console.log(`   ${manifest.name}@${manifest.version}: ${files.size} files, manifest ok`);
}

import { packageBuild } from '../../tsup.preset.mjs';

export default packageBuild({ index: 'src/index.ts', 'fake-postbox': 'src/fake-postbox.ts' });

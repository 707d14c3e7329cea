import { packageBuild } from '../../tsup.preset.mjs';

export default packageBuild();

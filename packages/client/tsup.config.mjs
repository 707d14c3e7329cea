import { packageBuild } from '../../tsup.preset.mjs';

// The client runs in browsers too: no Node built-in is imported, and the bundle targets the platform-neutral ES2022.
export default packageBuild(undefined, { target: 'es2022', platform: 'neutral' });

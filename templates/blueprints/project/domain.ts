/**
 * Where the `protean` command finds this project's domain: it looks for `domain.ts` in the folder
 * it runs in, so `protean db setup`, `protean server` and `protean check-health` work from here
 * with no flags. The domain itself, with every element registered, is src/index.ts.
 */
export { domain } from './src/index.js';

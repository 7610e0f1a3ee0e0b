/**
 * Property tests explore with a fresh random seed on every developer run (that is how they find new
 * bugs), but CI replays a fixed seed (FC_SEED) so that a green build stays green. A failure prints
 * its seed; `FC_SEED=<seed> npm test` replays it.
 */
import fc from 'fast-check';

const seed = process.env.FC_SEED;
if (seed !== undefined && seed !== '') fc.configureGlobal({ seed: Number(seed) });

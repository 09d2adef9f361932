// ESM entry of lpconfig/testing.
import testing from './testing.js';

export const { Emulator } = testing;
export default testing;

/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
import{a}from"./chunk-4CUJ2ZFN.js";import"./chunk-RXP2UFPZ.js";import"./chunk-KCMLW2XI.js";import"./chunk-UWXPOV2Q.js";import"./chunk-NDDZVEBY.js";import"./chunk-FUJTRNJQ.js";export{a as Search};

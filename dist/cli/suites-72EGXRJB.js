/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
import{a,b,c}from"./chunk-A4CCMJQX.js";import"./chunk-NDDZVEBY.js";import"./chunk-FUJTRNJQ.js";export{b as getSuite,a as parseSuiteName,c as suiteNameFromEnv};

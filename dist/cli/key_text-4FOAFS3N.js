/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
import{a,b,c}from"./chunk-4PGKUHWE.js";import"./chunk-JELKD3BV.js";import"./chunk-A4CCMJQX.js";import"./chunk-NDDZVEBY.js";import"./chunk-FUJTRNJQ.js";export{b as generateKeyPairText,c as generateSigningKeyPairText,a as suiteOfKeyText};

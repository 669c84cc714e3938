/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
import{a,b,c}from"./chunk-JD7W6F6N.js";import"./chunk-JELKD3BV.js";import"./chunk-TPW7QGYI.js";import"./chunk-NDDZVEBY.js";import"./chunk-FUJTRNJQ.js";export{b as generateKeyPairText,c as generateSigningKeyPairText,a as suiteOfKeyText};

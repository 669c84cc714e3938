/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
import{a,b,c}from"./chunk-ATY7LKSY.js";import"./chunk-M7FXY5I4.js";import"./chunk-56F5HTLS.js";import"./chunk-2C56TRAE.js";import"./chunk-ST4YIGHV.js";export{b as generateKeyPairText,c as generateSigningKeyPairText,a as suiteOfKeyText};

/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
import { createRequire as __arcaCreateRequire } from "node:module";
const require = __arcaCreateRequire(import.meta.url);
import{a,b,c}from"./chunk-LQ6AYCBA.js";import"./chunk-LM57HYYJ.js";import"./chunk-3AUTMZLZ.js";import"./chunk-FO4JUADY.js";import"./chunk-FNUDN2KA.js";export{b as generateKeyPairText,c as generateSigningKeyPairText,a as suiteOfKeyText};

/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
import { createRequire as __arcaCreateRequire } from "node:module";
const require = __arcaCreateRequire(import.meta.url);
import{f as a,g as b}from"./chunk-QAJTEKWE.js";import"./chunk-FAEVDRA6.js";import"./chunk-VYAYOEVN.js";import"./chunk-3WZULBGK.js";import"./chunk-WJTSECXV.js";import"./chunk-LQ6AYCBA.js";import"./chunk-LM57HYYJ.js";import"./chunk-3AUTMZLZ.js";import"./chunk-FO4JUADY.js";import"./chunk-FNUDN2KA.js";export{a as CONFIG_ENV_NAMES,b as Config};

/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
import { createRequire as __arcaCreateRequire } from "node:module";
const require = __arcaCreateRequire(import.meta.url);
import{A as a,B as b,C as c}from"./chunk-JKIP4OJV.js";import"./chunk-NZEHDCUR.js";import"./chunk-CVOTC454.js";import"./chunk-BR3C2LE7.js";import"./chunk-VYA27ARC.js";import"./chunk-QAJTEKWE.js";import"./chunk-FAEVDRA6.js";import"./chunk-VYAYOEVN.js";import"./chunk-3WZULBGK.js";import"./chunk-WJTSECXV.js";import"./chunk-LQ6AYCBA.js";import"./chunk-LM57HYYJ.js";import"./chunk-3AUTMZLZ.js";import"./chunk-FO4JUADY.js";import"./chunk-FNUDN2KA.js";export{a as DEFAULT_API_URL,b as defaultApiUrl,c as registerClient};

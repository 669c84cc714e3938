/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
import { createRequire as __arcaCreateRequire } from "node:module";
const require = __arcaCreateRequire(import.meta.url);
import{a}from"./chunk-WGITV4OW.js";import"./chunk-CVOTC454.js";import"./chunk-KKYX736W.js";import"./chunk-VYAYOEVN.js";import"./chunk-FO4JUADY.js";import"./chunk-FNUDN2KA.js";export{a as Search};

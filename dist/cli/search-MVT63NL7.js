/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
import{a}from"./chunk-GWNAONR4.js";import"./chunk-KCMLW2XI.js";import"./chunk-G52V7CVU.js";import"./chunk-2C56TRAE.js";import"./chunk-ST4YIGHV.js";export{a as Search};

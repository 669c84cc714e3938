/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
import{f as a,g as b}from"./chunk-CCATYPT5.js";import"./chunk-U3V4FOHA.js";import"./chunk-TJQNRGZZ.js";import"./chunk-G52V7CVU.js";import"./chunk-JMYYCM53.js";import"./chunk-MK7SOS4T.js";import"./chunk-ATY7LKSY.js";import"./chunk-M7FXY5I4.js";import"./chunk-56F5HTLS.js";import"./chunk-2C56TRAE.js";import"./chunk-ST4YIGHV.js";export{a as CONFIG_ENV_NAMES,b as Config};

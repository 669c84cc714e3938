/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
import{f as a,g as b}from"./chunk-774KCUL7.js";import"./chunk-2FPU4FCX.js";import"./chunk-2BRVE572.js";import"./chunk-UWXPOV2Q.js";import"./chunk-QH2B2B4V.js";import"./chunk-TGIET3Z4.js";import"./chunk-4PGKUHWE.js";import"./chunk-JELKD3BV.js";import"./chunk-A4CCMJQX.js";import"./chunk-NDDZVEBY.js";import"./chunk-FUJTRNJQ.js";export{a as CONFIG_ENV_NAMES,b as Config};

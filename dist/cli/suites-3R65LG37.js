/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
import{a,b,c,d}from"./chunk-56F5HTLS.js";import"./chunk-2C56TRAE.js";import"./chunk-ST4YIGHV.js";export{b as getSuite,c as loadSuiteModule,a as parseSuiteName,d as suiteNameFromEnv};

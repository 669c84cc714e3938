/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
var E=["EXACT","FUZZY","WILDCARD","REGEXP"],t=["OR","AND"],A=["CREATED","MODIFIED"],S=["ASCENDING","DESCENDING"];export{E as a,t as b,A as c,S as d};

/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
var n="/v1/arca/events",t="/v1/arca/events/stream";var r=["accessed","added","deleted","updated"],o=["container","key_file"];export{n as a,t as b,r as c,o as d};

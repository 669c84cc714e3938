/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);

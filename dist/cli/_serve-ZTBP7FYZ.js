/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
import{A as d,n as a,o as s}from"./chunk-PKOYMYOR.js";import"./chunk-UPQFB3FR.js";import"./chunk-JMYYCM53.js";import"./chunk-MK7SOS4T.js";import"./chunk-M7FXY5I4.js";import"./chunk-2C56TRAE.js";import{a as n}from"./chunk-ST4YIGHV.js";function C(m,t){m.command("serve").description("run the Arca server (configured by ARCA_* environment variables)").option("--port <port>","port to listen on (0 picks a free one)",d(0,65535)).option("--host <host>","interface to listen on (default 127.0.0.1)").option("--data-dir <dir>","data directory (default ./arca-data)").action(async(o,p)=>{let e=s(t,p),{serverOptionsFromEnv:c,startServer:u}=await a(),v=c(t.env),r=await u({...v,...o.port===void 0?{}:{port:o.port},...o.host===void 0?{}:{hostname:o.host},...o.dataDir===void 0?{}:{dataDir:o.dataDir},print:n(i=>e.options.json?t.err(`${i}
`):t.out(`${i}
`),"print")});e.options.json&&t.out(`${JSON.stringify({url:r.url})}
`),await Promise.race([t.stopSignal(),r.finished]),await r.shutdown()})}n(C,"serveCommand");export{C as serveCommand};

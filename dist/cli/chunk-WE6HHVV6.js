/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
import{a as o}from"./chunk-FUJTRNJQ.js";var l;async function c(){l??=(await import("./cli-table3-BYUUELYB.js")).default}o(c,"loadTables");function a(t){if(l===void 0)throw new Error("renderTable before loadTables()");return new l(t)}o(a,"newTable");var f=80;function u(t){let n=typeof t=="string"?t:t instanceof Date?t.toISOString():t==null?"":JSON.stringify(t);return n.length>f?`${n.slice(0,f-1)}…`:n}o(u,"cell");function p(t,n){let e=a({head:t,style:{head:[],border:[]}});for(let r of n)e.push(r.map(u));return e.toString()}o(p,"renderTable");var s=["B","KB","MB","GB","TB"];function d(t){let n=t,e=0;for(;n>=1e3&&e<s.length-1;)n/=1e3,e++;return e===0?`${n} ${s[0]}`:`${n.toFixed(1)} ${s[e]}`}o(d,"formatBytes");function b(t){let n=a({style:{head:[],border:[]}});for(let[e,r]of t)n.push({[e]:u(r)});return n.toString()}o(b,"renderPairs");function g(t,n,e,r){if(n)t.out(`${JSON.stringify(e,null,2)}
`);else{let i=r();i!==""&&t.out(i.endsWith(`
`)?i:`${i}
`)}}o(g,"printResult");export{c as a,p as b,d as c,b as d,g as e};

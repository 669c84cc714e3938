/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
import { createRequire as __arcaCreateRequire } from "node:module";
const require = __arcaCreateRequire(import.meta.url);
import{a,b,c,d,e,f,g,h,i,j,k,l,m,n,o}from"./chunk-MGYHAVHG.js";import"./chunk-WJTSECXV.js";import"./chunk-LM57HYYJ.js";import"./chunk-FO4JUADY.js";import"./chunk-FNUDN2KA.js";export{a as P384_ORDER,b as P384_SCALAR_BYTES,j as canonicalP384PrivateKey,h as encodeP384PrivateKey,f as encodeP384PublicKey,e as p384PointFromScalar,n as p384PrivateKeyFromJwk,l as p384PrivateKeyToJwk,m as p384PublicKeyFromJwk,k as p384PublicKeyToJwk,o as p384ScalarFromBytes,i as parseP384PrivateKey,g as parseP384PublicKey,c as validateP384Point,d as validateP384Scalar};

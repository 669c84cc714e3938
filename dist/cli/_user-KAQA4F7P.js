/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
const require = (id) => globalThis.process.getBuiltinModule(id);
import{a,b,c}from"./chunk-UEOADAG6.js";import"./chunk-PKOYMYOR.js";import"./chunk-WTHLD2IN.js";import"./chunk-UPQFB3FR.js";import"./chunk-U3V4FOHA.js";import"./chunk-JMYYCM53.js";import"./chunk-MK7SOS4T.js";import"./chunk-M7FXY5I4.js";import"./chunk-2C56TRAE.js";import"./chunk-ST4YIGHV.js";export{b as profileSession,c as userCommands,a as withAppOptions};

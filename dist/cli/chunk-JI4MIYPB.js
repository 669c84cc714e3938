/*! arca CLI bundle (Apache-2.0, see LICENSE), built by deno task build:cli. */
import { createRequire as __arcaCreateRequire } from "node:module";
const require = __arcaCreateRequire(import.meta.url);

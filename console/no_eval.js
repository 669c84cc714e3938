// The console's Content Security Policy forbids eval and `new Function`. zod (the SDK's wire
// schema library) probes once whether it may compile its parsers with `new Function`; under the
// policy that probe fails harmlessly but is reported as a violation. zod's documented global
// setting "jitless" (kept on globalThis, read when the SDK bundle loads) stops the probe. This
// classic script runs before the module scripts, so before the SDK bundle is evaluated.
globalThis.__zod_globalConfig = { ...globalThis.__zod_globalConfig, jitless: true };

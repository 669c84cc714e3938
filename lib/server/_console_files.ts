/**
 * The web console's static files (docs/console.md), read once from the repository's `console/`
 * folder into memory: each with its content type, a strong ETag and, for text, a gzipped copy.
 * Requests look files up in that map by name, so no request path ever reaches the file system.
 *
 * @module
 */
import { fileChecksum } from "../crypto/file_checksum.ts";

/** One file of the console, ready to answer. */
export interface ConsoleFile {
  /** The bytes. */
  body: Uint8Array;
  /** Its `Content-Type`. */
  contentType: string;
  /** A strong ETag (quoted): the MD5 of the bytes. */
  etag: string;
  /** The bytes gzipped, for text files that shrink (`undefined` otherwise). */
  gzip: Uint8Array | undefined;
}

/** Content types by extension; files with any other extension (the `.ts` sources) are not served. */
const CONTENT_TYPES: Record<string, string> = {
  html: "text/html; charset=utf-8",
  css: "text/css; charset=utf-8",
  js: "text/javascript; charset=utf-8",
  wasm: "application/wasm",
  png: "image/png",
};

/** The repository's `console/` folder, next to `lib/`. */
export const CONSOLE_DIR: URL = new URL("../../console/", import.meta.url);

/**
 * The content type a console file is served with, or `undefined` for a file that is not served.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { consoleContentType } from "./_console_files.ts";
 * assert.equal(consoleContentType("dist/arca.js"), "text/javascript; charset=utf-8");
 * assert.equal(consoleContentType("app/main.ts"), undefined);
 * ```
 */
export function consoleContentType(name: string): string | undefined {
  const dot = name.lastIndexOf(".");
  return dot < 0 ? undefined : CONTENT_TYPES[name.slice(dot + 1).toLowerCase()];
}

/**
 * Reads every servable file under `dir` (a `file:` URL ending in `/`) into a map keyed by its
 * path relative to `dir` (`index.html`, `dist/arca.js`). Hidden entries and symbolic links are
 * skipped; a folder that does not exist (or a `dir` that is not a `file:` URL, as in a package
 * loaded over HTTP) gives an empty map.
 *
 * @example
 * ```ts
 * import assert from "node:assert/strict";
 * import { readConsoleFiles } from "./_console_files.ts";
 * const dir = await Deno.makeTempDir();
 * await Deno.writeTextFile(`${dir}/index.html`, "<!doctype html>");
 * await Deno.writeTextFile(`${dir}/notes.txt`, "not served");
 * const files = await readConsoleFiles(new URL(`file://${dir}/`));
 * assert.deepEqual([...files.keys()], ["index.html"]);
 * assert.match(files.get("index.html")!.etag, /^"[A-Za-z0-9_-]+"$/);
 * await Deno.remove(dir, { recursive: true });
 * ```
 */
export async function readConsoleFiles(dir: URL): Promise<Map<string, ConsoleFile>> {
  const files = new Map<string, ConsoleFile>();
  if (dir.protocol !== "file:") return files;
  await readFolder(dir, "", files);
  return files;
}

async function readFolder(
  dir: URL,
  prefix: string,
  files: Map<string, ConsoleFile>,
): Promise<void> {
  let entries: Deno.DirEntry[];
  try {
    entries = await Array.fromAsync(Deno.readDir(new URL(prefix, dir)));
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return;
    throw error;
  }
  for (const entry of entries) {
    if (entry.name.startsWith(".") || entry.isSymlink) continue;
    const name = prefix + entry.name;
    if (entry.isDirectory) {
      await readFolder(dir, `${name}/`, files);
      continue;
    }
    const contentType = consoleContentType(name);
    if (!entry.isFile || contentType === undefined) continue;
    const body = await Deno.readFile(new URL(name, dir));
    const gzip = contentType.startsWith("text/") ? await gzipped(body) : undefined;
    files.set(name, {
      body,
      contentType,
      etag: etagOf(body),
      gzip: gzip !== undefined && gzip.length < body.length ? gzip : undefined,
    });
  }
}

async function gzipped(body: Uint8Array): Promise<Uint8Array> {
  const stream = new Blob([body as Uint8Array<ArrayBuffer>]).stream()
    .pipeThrough(new CompressionStream("gzip"));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** The file's MD5 (enough to tell versions of a file apart), base64url, quoted. */
function etagOf(body: Uint8Array): string {
  const digest = fileChecksum(body).checksum.replace(/=+$/, "");
  return `"${digest.replaceAll("+", "-").replaceAll("/", "_")}"`;
}

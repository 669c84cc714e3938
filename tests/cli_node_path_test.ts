/**
 * The bundled CLI's path functions (build/_cli_node_path.ts) give what `node:path` gives, for
 * POSIX and Windows paths, on paths without `.` or `..` segments (which they leave to the OS).
 */
import assert from "node:assert/strict";
import { posix, win32 } from "node:path";
import { basenameOf, dirnameOf, joinPath, type PathFlavour } from "../build/_cli_node_path.ts";

const POSIX: PathFlavour = { separator: "/", backslash: false };
const WINDOWS: PathFlavour = { separator: "\\", backslash: true };

const JOINS: string[][] = [
  ["/home/jon", ".tozny", "e3db.json"],
  ["/home/jon/", "/.tozny/", "bob", "e3db.json"],
  ["relative", "", "x"],
  ["", ""],
  ["a//b", "c///"],
  ["/"],
  ["C:\\Users\\jon", ".tozny", "e3db.json"],
  ["C:\\Users\\jon\\", "\\.tozny"],
  ["\\\\server\\share", "folder", "file.txt"],
  ["C:/Users/jon", "x"],
];

const PATHS = [
  "/home/jon/.tozny/e3db.json",
  "/home/jon/.tozny/",
  "/file",
  "/",
  "file.txt",
  "folder/file.txt",
  "a//b//",
  "",
  "C:\\Users\\jon\\report.pdf",
  "C:\\Users\\",
  "C:\\",
  "C:file.txt",
  "\\\\server\\share\\folder\\file.txt",
  "C:/Users/jon/report.pdf",
  "report.pdf",
];

Deno.test("CLI path: join equals node:path's on POSIX and Windows", () => {
  for (const segments of JOINS) {
    assert.equal(joinPath(POSIX, ...segments), posix.join(...segments), `posix ${segments}`);
    assert.equal(joinPath(WINDOWS, ...segments), win32.join(...segments), `win32 ${segments}`);
  }
});

Deno.test("CLI path: dirname and basename equal node:path's on POSIX and Windows", () => {
  for (const path of PATHS) {
    assert.equal(dirnameOf(POSIX, path), posix.dirname(path), `posix dirname ${path}`);
    assert.equal(dirnameOf(WINDOWS, path), win32.dirname(path), `win32 dirname ${path}`);
    assert.equal(basenameOf(POSIX, path), posix.basename(path), `posix basename ${path}`);
    assert.equal(basenameOf(WINDOWS, path), win32.basename(path), `win32 basename ${path}`);
    assert.equal(basenameOf(POSIX, path, ".pdf"), posix.basename(path, ".pdf"), path);
    assert.equal(basenameOf(WINDOWS, path, ".pdf"), win32.basename(path, ".pdf"), path);
  }
});

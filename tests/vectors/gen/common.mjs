// Helpers shared by the vector generators in this folder (not a generator itself).
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import path from "node:path";

/** The repository root (three levels above this file). */
export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..", "..");

/** The installed version of an npm package, read from node_modules/<name>/package.json. */
export const version = (name) =>
    JSON.parse(readFileSync(path.join(ROOT, "node_modules", name, "package.json"), "utf8")).version;

/** `name@version` for the SOURCES.md-style provenance strings. */
export const pkg = (name) => `${name}@${version(name)}`;

/** Decimal string of a bigint. */
export const dec = (x) => BigInt(x).toString();

/** A bigint as `size` little-endian bytes, in hex. */
export const leHex = (x, size = 32) => {
    const b = Buffer.alloc(size);
    let v = BigInt(x);
    for (let i = 0; i < size; i++) {
        b[i] = Number(v & 0xffn);
        v >>= 8n;
    }
    if (v !== 0n) throw new Error(`${x} does not fit in ${size} bytes`);
    return b.toString("hex");
};

/** The little-endian integer of a hex string. */
export const fromLeHex = (hex) => {
    const b = Buffer.from(hex, "hex");
    let v = 0n;
    for (let i = b.length - 1; i >= 0; i--) v = (v << 8n) | BigInt(b[i]);
    return v;
};

/** Write `value` as JSON (one-space indent, trailing newline) to `relative` under the repository root. */
export const writeVectors = (relative, value) => {
    writeFileSync(path.join(ROOT, relative), JSON.stringify(value, null, 1) + "\n");
};

/** Read a JSON file under the repository root. */
export const readVectors = (relative) => JSON.parse(readFileSync(path.join(ROOT, relative), "utf8"));

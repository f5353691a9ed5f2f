// Parses Mermaid diagrams with Mermaid's own parser; exits 1 on the first that does not parse.
import { JSDOM } from "jsdom";
import { readFileSync } from "node:fs";
const dom = new JSDOM("<!doctype html><html><body></body></html>");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");
mermaid.initialize({ startOnLoad: false });
for (const file of process.argv.slice(2)) {
  const text = readFileSync(file, "utf8");
  try {
    const result = await mermaid.parse(text);
    console.log(`${file}: ${result.diagramType}`);
  } catch (e) {
    console.error(`${file}: ${e.message ?? e}`);
    process.exit(1);
  }
}

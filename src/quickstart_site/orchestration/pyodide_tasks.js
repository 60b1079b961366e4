// Build-time work that only the browser's own Python can do, run in Node with the very Pyodide
// the site ships (called by quickstart_site/orchestration/warm_start.py):
//
//   node pyodide_tasks.js modules <pyodide folder> <warmup.py>
//       runs warmup.py (a small Flask program) and prints the standard-library modules it
//       imported;
//   node pyodide_tasks.js snapshot <pyodide folder> <output .gz> <modules.json>
//       imports those modules into a freshly started Pyodide and writes its memory snapshot,
//       gzip-compressed.
//
// Only the browser's own Python knows what it imports, and only Pyodide can snapshot itself.
"use strict";

const fs = require("node:fs");
const path = require("node:path");
const zlib = require("node:zlib");

async function start(pyodideFolder, options = {}) {
  const { loadPyodide } = await import(path.join(path.resolve(pyodideFolder), "pyodide.mjs"));
  return loadPyodide({
    indexURL: path.resolve(pyodideFolder) + "/",
    stdout: () => {},
    stderr: (line) => process.stderr.write(line + "\n"),
    ...options,
  });
}

async function modules(pyodideFolder, warmupFile) {
  const pyodide = await start(pyodideFolder, { packages: ["flask"] });
  const imported = pyodide.runPython(`
import sys
before = set(sys.modules)
exec(compile(${JSON.stringify(fs.readFileSync(warmupFile, "utf8"))}, "warmup.py", "exec"), {})
[name for name in sys.modules if name not in before and name.partition(".")[0] in sys.stdlib_module_names]
`).toJs();
  process.stdout.write(JSON.stringify({ modules: imported }) + "\n");
}

async function snapshot(pyodideFolder, output, modulesFile) {
  const pyodide = await start(pyodideFolder, { _makeSnapshot: true });
  const heap = pyodide._module.HEAP8.length;
  const modules = JSON.parse(fs.readFileSync(modulesFile, "utf8"));
  // A Python literal, not a JavaScript object: a proxy left behind would make the memory
  // impossible to snapshot.
  pyodide.runPython(
    `import importlib\nfor name in ${JSON.stringify(modules)}: importlib.import_module(name)`,
  );
  // Pyodide 314.0.6 restores a snapshot into the heap it starts with (pyodide/pyodide#6254):
  // one that grew cannot be restored, so the browser would fall back to a plain start.
  if (pyodide._module.HEAP8.length !== heap) {
    throw new Error(`importing ${modules.length} modules grew the heap past ${heap} bytes`);
  }
  const memory = pyodide.makeMemorySnapshot();
  // Level 6: 0.8 s where level 9 took 4.6 s, for 1% more bytes (7.76 MB, not 7.68).
  fs.writeFileSync(output, zlib.gzipSync(memory, { level: 6 }));
  process.stdout.write(JSON.stringify({ bytes: memory.length, modules: modules.length }) + "\n");
}

const [task, ...args] = process.argv.slice(2);
const tasks = { modules, snapshot };
if (!tasks[task]) {
  process.stderr.write(`usage: node pyodide_tasks.js modules|snapshot ...\n`);
  process.exit(2);
}
tasks[task](...args).catch((error) => {
  process.stderr.write(String((error && error.stack) || error).slice(0, 4000) + "\n");
  process.exit(1);
});

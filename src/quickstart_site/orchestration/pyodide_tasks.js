// Build-time work that only the browser's own Python can do, run in Node with the very Pyodide
// the site ships (called by quickstart_site/orchestration/warm_start.py):
//
//   node pyodide_tasks.js compile <pyodide folder> <host folder>
//       compiles every .py under <host folder>/unpacked/<wheel>/ to an unchecked-hash .pyc in
//       __pycache__/, named as the installed file (/lib/python3.X/site-packages/...), so a
//       traceback through Flask still shows its source lines; then runs <host folder>/warmup.py
//       with those packages and prints the standard-library modules it imported;
//   node pyodide_tasks.js snapshot <pyodide folder> <output .gz> <modules.json>
//       imports those modules into a freshly started Pyodide and writes its memory snapshot,
//       gzip-compressed.
//
// CPython on this machine cannot do the first (its bytecode is not the browser's: Pyodide's
// Python is 3.14), and nothing but Pyodide can do the second.
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

async function compile(pyodideFolder, hostFolder) {
  const pyodide = await start(pyodideFolder);
  pyodide.FS.mkdirTree("/host");
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve(hostFolder) }, "/host");
  const compiled = pyodide.runPython(`
import compileall, os, py_compile, sysconfig
site_packages = sysconfig.get_paths()["purelib"]
count = 0
for wheel in sorted(os.listdir("/host/unpacked")):
    root = f"/host/unpacked/{wheel}"
    # quiet=2: a file that does not compile (test data shaped like Python) is simply left as
    # source; the interpreter compiles it if it is ever imported.
    compileall.compile_dir(
        root, ddir=site_packages, quiet=2, workers=1,
        invalidation_mode=py_compile.PycInvalidationMode.UNCHECKED_HASH,
    )
    for folder, _dirs, files in os.walk(root):
        count += sum(name.endswith(".pyc") for name in files)
count
`);
  const modules = pyodide.runPython(`
import os, sys
before = set(sys.modules)
sys.path[:0] = [f"/host/unpacked/{wheel}" for wheel in sorted(os.listdir("/host/unpacked"))]
exec(compile(open("/host/warmup.py").read(), "warmup.py", "exec"), {"__name__": "warmup"})
standard = sys.stdlib_module_names
[name for name in sys.modules if name not in before and name.partition(".")[0] in standard]
`).toJs();
  const cacheTag = pyodide.runPython("import sys; sys.implementation.cache_tag");
  process.stdout.write(JSON.stringify({ compiled, cacheTag, modules }) + "\n");
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
  fs.writeFileSync(output, zlib.gzipSync(memory, { level: 9 }));
  process.stdout.write(JSON.stringify({ bytes: memory.length, modules: modules.length }) + "\n");
}

const [task, ...args] = process.argv.slice(2);
const tasks = { compile, snapshot };
if (!tasks[task]) {
  process.stderr.write(`usage: node pyodide_tasks.js compile|snapshot ...\n`);
  process.exit(2);
}
tasks[task](...args).catch((error) => {
  process.stderr.write(String((error && error.stack) || error).slice(0, 4000) + "\n");
  process.exit(1);
});

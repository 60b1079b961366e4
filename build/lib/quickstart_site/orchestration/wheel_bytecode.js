// Runs wheel_bytecode.py inside the runtime's own Pyodide (Node.js), on a folder of wheels:
//   node wheel_bytecode.js <runtime>/pyodide <wheel folder> <wheel_bytecode.py> <settings.json>
// settings: {"load": [lock packages to install], "imports": [...], "packages": [...],
//            "leave_out": [folders left out of the wheels]}
// CommonJS with a dynamic import: pyodide.mjs is an ES module.
const fs = require("node:fs");
const path = require("node:path");
const url = require("node:url");

async function main() {
  const [core, wheels, program, settingsFile] = process.argv.slice(2);
  const settings = JSON.parse(fs.readFileSync(settingsFile, "utf8"));
  const { loadPyodide } = await import(url.pathToFileURL(path.join(core, "pyodide.mjs")).href);
  const pyodide = await loadPyodide({ indexURL: core + path.sep });
  await pyodide.loadPackage(settings.load, { messageCallback: () => {} });
  pyodide.FS.mkdirTree("/wheels");
  pyodide.FS.mount(pyodide.FS.filesystems.NODEFS, { root: path.resolve(wheels) }, "/wheels");
  pyodide.runPython(fs.readFileSync(program, "utf8"));
  pyodide.globals.set("settings", pyodide.toPy(settings));
  pyodide.runPython('main("/wheels", settings["imports"], settings["packages"], settings["leave_out"])');
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});

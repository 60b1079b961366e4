// One Python for the page, in a worker so the page stays responsive while it starts and runs.
// runner.js sends one run at a time; run_example.py gives each a fresh namespace and a fresh
// folder holding the example's files, as each example gets in CI.
//
// Stopping: runner.js shares an Int32Array (a SharedArrayBuffer, on a cross-origin-isolated
// page) with this worker, given to pyodide.setInterruptBuffer. Writing 2 (SIGINT) into it
// raises KeyboardInterrupt in the running Python. Where there is no shared memory, or Python
// does not stop, runner.js terminates this worker and starts another.

let python = null; // Promise of the booted Pyodide

async function boot(runtimeUrl, interrupt) {
  const { loadPyodide } = await import(new URL("pyodide/pyodide.mjs", runtimeUrl).href);
  const runner = fetch(new URL("run_example.py", import.meta.url)).then((response) => {
    if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
    return response.text();
  });
  const pyodide = await loadPyodide({
    indexURL: new URL("pyodide/", runtimeUrl).href,
    // From the site's own lock file (../wheels/), with their dependencies.
    packages: ["flask"],
    stdout: () => {},
    stderr: () => {},
  });
  pyodide.runPython(await runner);
  if (interrupt) pyodide.setInterruptBuffer(interrupt);
  return pyodide;
}

function run(pyodide, data) {
  const runExample = pyodide.globals.get("run_example");
  const program = pyodide.toPy(data.run);
  let result = null;
  try {
    // Not `null`, which Pyodide passes as jsnull, not None.
    result = data.edited == null ? runExample(program) : runExample(program, data.edited);
    return result.toJs({ dict_converter: Object.fromEntries });
  } catch (failure) {
    // An interruption that landed outside the reader's code (run_example catches the rest).
    if (failure && failure.type === "KeyboardInterrupt") {
      return { stdout: "", stderr: "", error: "", interrupted: true, truncated: false };
    }
    throw failure;
  } finally {
    result?.destroy();
    program.destroy();
    runExample.destroy();
  }
}

self.onmessage = async ({ data }) => {
  try {
    if (data.type === "boot") {
      python ??= boot(data.runtime, data.interrupt);
      await python;
      self.postMessage({ id: data.id });
    } else if (data.type === "run") {
      self.postMessage({ id: data.id, ...run(await python, data) });
    }
  } catch (failure) {
    self.postMessage({ id: data.id, failure: String((failure && failure.message) || failure) });
  }
};

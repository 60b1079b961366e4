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
  const options = {
    indexURL: new URL("pyodide/", runtimeUrl).href,
    // From the site's own lock file (../wheels/), with their dependencies.
    packages: ["flask"],
    stdout: () => {},
    stderr: () => {},
  };
  let pyodide = null;
  try {
    // The runtime's memory snapshot of a started Pyodide (orchestration/warm_start.py):
    // restoring it takes a tenth of a start.
    pyodide = await loadPyodide({ ...options, _loadSnapshot: snapshot(runtimeUrl) });
    // Every reader restores the same memory: give `random` a seed of this reader's own.
    pyodide.runPython("import random; random.seed()");
  } catch {
    pyodide = await loadPyodide(options); // no snapshot, or one this Pyodide cannot restore
  }
  pyodide.runPython(await runner);
  if (interrupt) pyodide.setInterruptBuffer(interrupt);
  return pyodide;
}

async function snapshot(runtimeUrl) {
  const response = await fetch(new URL("pyodide/snapshot.bin.gz", runtimeUrl));
  if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes; // the server decoded it already
  const unpacked = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(unpacked).arrayBuffer());
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

// One Python for the whole page, in a worker so the page stays responsive while it starts.
// Each run gets a fresh namespace and a fresh folder holding the example's files, as each
// example gets in CI (sphinx.ext.doctest and our examples builder): see run_example.py.

let python = null;

async function boot(runtimeUrl) {
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
  return pyodide;
}

self.onmessage = async ({ data }) => {
  try {
    if (data.type === "boot") {
      python ??= boot(data.runtime);
      await python;
      self.postMessage({ id: data.id });
    } else if (data.type === "run") {
      const pyodide = await python;
      const runExample = pyodide.globals.get("run_example");
      const files = pyodide.toPy(data.files);
      const result = runExample(data.prelude, data.source, files);
      const [stdout, stderr, error] = result.toJs();
      result.destroy();
      files.destroy();
      runExample.destroy();
      self.postMessage({ id: data.id, stdout, stderr, error });
    }
  } catch (failure) {
    self.postMessage({ id: data.id, failure: String(failure && failure.message || failure) });
  }
};

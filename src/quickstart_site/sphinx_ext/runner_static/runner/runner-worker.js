// One Python for the whole page, in a worker so the page stays responsive while it starts.
// Each run gets a fresh namespace and a fresh folder holding the example's files, as each
// example gets in CI (sphinx.ext.doctest and our examples builder).

const RUN_EXAMPLE = `
import contextlib, io, os, sys, tempfile, traceback

def run_example(prelude, source, files):
    folder = tempfile.mkdtemp(prefix="example-")
    for path, text in files.items():
        target = os.path.join(folder, path)
        os.makedirs(os.path.dirname(target), exist_ok=True)
        with open(target, "w", encoding="utf-8") as stream:
            stream.write(text)
    stdout, stderr, error = io.StringIO(), io.StringIO(), ""
    home = os.getcwd()
    os.chdir(folder)
    try:
        with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
            namespace = {"__builtins__": __builtins__}
            exec(prelude, namespace)
            exec(compile(source, "example.py", "exec"), namespace)
    except BaseException:
        # The reader's frames only: drop this function's own.
        kind, value, trace = sys.exc_info()
        error = "".join(traceback.format_exception(kind, value, trace.tb_next))
    finally:
        os.chdir(home)
    return stdout.getvalue(), stderr.getvalue(), error
`;

let python = null;

async function boot(runtimeUrl) {
  const started = performance.now();
  const { loadPyodide } = await import(new URL("pyodide/pyodide.mjs", runtimeUrl).href);
  const pyodide = await loadPyodide({
    indexURL: new URL("pyodide/", runtimeUrl).href,
    // From the site's own lock file (../wheels/), with their dependencies.
    packages: ["flask"],
    stdout: () => {},
    stderr: () => {},
  });
  pyodide.runPython(RUN_EXAMPLE);
  const versions = pyodide.runPython(
    "import sys, flask, importlib.metadata as m; " +
      "f'Python {sys.version.split()[0]}, Flask {m.version(\"flask\")}'",
  );
  return { pyodide, versions, seconds: (performance.now() - started) / 1000 };
}

self.onmessage = async ({ data }) => {
  try {
    if (data.type === "boot") {
      python ??= boot(data.runtime);
      const { versions, seconds } = await python;
      self.postMessage({ id: data.id, versions, seconds });
    } else if (data.type === "run") {
      const { pyodide } = await python;
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

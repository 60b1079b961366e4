// One Python for the page, in a worker so the page stays responsive while it starts and runs.
// runner.js sends one job at a time; run_example.py gives each a fresh namespace and a fresh
// folder holding the example's files, as each example gets in CI.
//
// Messages (each with an `id`, answered by a message with the same `id`, or with `failure`):
//   {type: "boot", runtime, interrupt}  -> {start}                 loads Pyodide and Flask;
//                                          start: "snapshot" (restored) or "plain"
//   {type: "run", run, edited}          -> run_example's result    a Run button's program
//   {type: "check", exercise, source}   -> check_exercise's result an exercise's checks on the
//                                          reader's code: {stdout, stderr, error, interrupted,
//                                          truncated, checks: [{passed, message}]}
//
// Stopping: runner.js shares an Int32Array (a SharedArrayBuffer, on a cross-origin-isolated
// page) with this worker, given to pyodide.setInterruptBuffer. Writing 2 (SIGINT) into it
// raises KeyboardInterrupt in the running Python. Where there is no shared memory, or Python
// does not stop, runner.js terminates this worker and starts another.

let python = null; // Promise of the booted Pyodide
let checker = null; // Promise of check_exercise (loaded at boot on a page with exercises)

async function boot(runtimeUrl, interrupt) {
  // Pyodide from the runtime's memory snapshot, the Flask wheels fetched meanwhile (the file
  // says how; the JupyterLite kernel starts the same way).
  const { loadPyodide } = await import("./pyodide-start.js");
  const runner = fetchText("run_example.py");
  const pyodide = await loadPyodide({
    indexURL: new URL("pyodide/", runtimeUrl).href,
    // From the site's own lock file (../wheels/), with their dependencies.
    packages: ["flask"],
    stdout: () => {},
    stderr: () => {},
  });
  pyodide.runPython(await runner);
  // Every program imports Flask: done while Python starts (0.3 s), not on the first click.
  pyodide.runPython("import flask");
  if (interrupt) pyodide.setInterruptBuffer(interrupt);
  return pyodide; // its `start` ("snapshot" or "plain") is told to the page, for the tests
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

function fetchText(name) {
  return fetch(new URL(name, import.meta.url)).then((response) => {
    if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
    return response.text();
  });
}

// check_exercise.py runs after run_example.py, into the same namespace, whose names it uses.
async function loadChecker(pyodide) {
  pyodide.runPython(await fetchText("check_exercise.py"));
  return pyodide.globals.get("check_exercise");
}

function check(pyodide, checkExercise, data) {
  const exercise = pyodide.toPy(data.exercise);
  let result = null;
  try {
    result = checkExercise(exercise, data.source);
    return result.toJs({ dict_converter: Object.fromEntries });
  } catch (failure) {
    if (failure && failure.type === "KeyboardInterrupt") {
      const checks = data.exercise.checks.map(() => ({ passed: false, message: "" }));
      return { stdout: "", stderr: "", error: "", interrupted: true, truncated: false, checks };
    }
    throw failure;
  } finally {
    result?.destroy();
    exercise.destroy();
  }
}

self.onmessage = async ({ data }) => {
  try {
    if (data.type === "boot") {
      python ??= boot(data.runtime, data.interrupt);
      const pyodide = await python;
      // A page with exercises loads their checker now, not at the first Check.
      if (data.exercises) checker ??= loadChecker(pyodide).catch(() => (checker = null));
      self.postMessage({ id: data.id, start: pyodide.start });
    } else if (data.type === "run") {
      self.postMessage({ id: data.id, ...run(await python, data) });
    } else if (data.type === "check") {
      const pyodide = await python;
      let checkExercise = await checker; // null: not loaded yet, or its loading failed
      if (!checkExercise) {
        checker = loadChecker(pyodide);
        checkExercise = await checker.catch((failure) => {
          checker = null;
          throw failure;
        });
      }
      self.postMessage({ id: data.id, ...check(pyodide, checkExercise, data) });
    }
  } catch (failure) {
    self.postMessage({ id: data.id, failure: String((failure && failure.message) || failure) });
  }
};

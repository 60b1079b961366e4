// Loaded by every JupyterLite app page before JupyterLab's own code (see lite_fixes.py).
//
// Why: on a cross-origin-isolated page the Pyodide kernel talks to its worker through
// `coincident`, which awaits each answer with `Atomics.waitAsync(buffer, 0).value.then(...)`.
// When the worker has already answered by the time the page starts waiting, waitAsync returns
// synchronously, `{async: false, value: "not-equal"}`, and `.then` throws: that answer is lost,
// and the cell waiting for it stays at [*] for ever, the notebook stuck behind it. On two busy
// cores this lost several answers per run of the tutorial notebook.
//
// A synchronous result means the wait is already over, so it is handed back as a settled
// promise of the same value, as an asynchronous result would be. coincident is the only user
// of Atomics.waitAsync in these apps.
(() => {
  const waitAsync = Atomics.waitAsync;
  if (typeof waitAsync !== "function") return;
  Atomics.waitAsync = function (...args) {
    const result = waitAsync.apply(this, args);
    return result.async ? result : { async: false, value: Promise.resolve(result.value) };
  };
})();

// Loaded by every JupyterLite app page before JupyterLab's own code (see lite_fixes.py).
//
// Why: on a cross-origin-isolated page the Pyodide kernel talks to its worker through
// `coincident`, which awaits each answer with `Atomics.waitAsync(buffer, 0).value.then(...)`.
// When the worker has already answered by the time the page starts waiting, waitAsync returns
// synchronously, `{async: false, value: "not-equal"}`, and `.then` throws: that answer is lost,
// and the cell waiting for it stays at [*] for ever, the notebook stuck behind it. On two busy
// cores this lost several answers per run of the tutorial notebook.
//
// A synchronous result means the worker has started answering, not always that it is done.
// coincident (1.x, as bundled by jupyterlite-pyodide-kernel 0.8.6) answers in two steps:
// - first an Int32Array(2): the answer's length in [1], then 1 in [0], then notify. [0] is 1
//   only once [1] is written, so that wait is over: handed back as a settled promise.
// - then the answer itself (JSON) as UTF-16 code units written one by one from the buffer's
//   start, then notify. [0] changes with its first two characters, so the page may see it
//   half written: read then, the answer ends in zeros and JSON.parse fails ("Unexpected token
//   '\x00'"), the console never shows its output (1 start in 6 on this loaded machine). JSON
//   never holds a raw NUL, and the buffer is the answer rounded up to 4 bytes, so its last
//   code unit, or the one before it, is the answer's last: once set, the answer is complete.
//   Until then the page waits for the worker's notify, which follows its last write. When only
//   the code unit before last is set, the answer is complete if its length is odd, else one
//   code unit short: the page waits for a notify for at most LAST_UNIT_MS.
//
// coincident is the only user of Atomics.waitAsync in these apps.
(() => {
  const waitAsync = Atomics.waitAsync;
  if (typeof waitAsync !== "function") return;
  const LAST_UNIT_MS = 200;
  Atomics.waitAsync = function (cells, index, ...rest) {
    const result = waitAsync.call(this, cells, index, ...rest);
    if (result.async) return result;
    const started = Atomics.load(cells, index);
    const units = new Uint16Array(cells.buffer);
    const settled = (value) => ({ async: false, value: Promise.resolve(value) });
    if (started === 1 || result.value !== "not-equal" || units.length < 2) {
      return settled(result.value); // the first step's flag, or not coincident's wait
    }
    if (Atomics.load(units, units.length - 1) !== 0) return settled(result.value);
    // The worker is still writing: its notify is to come (or, with only the last code unit
    // possibly missing, has come already: then the short wait times out).
    const lastButOne = Atomics.load(units, units.length - 2) !== 0;
    const again = waitAsync.call(this, cells, index, started, lastButOne ? LAST_UNIT_MS : Infinity);
    const value = again.async ? again.value.then(() => "ok") : Promise.resolve("ok");
    return { async: false, value };
  };
})();

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

// The other way round: the worker's synchronous calls to the page (its /drive file system, on
// every import from the kernel's working folder) wait with Atomics.wait(buffer, 0, 0), and the
// page writes its answer from the buffer's start in the same order. A worker that reaches its
// wait once the first characters are written gets "not-equal" at once and reads half an answer:
// JSON.parse fails in the worker, a fatal error for Pyodide ("Bad control character in string
// literal", the console never shows its output). So coincident's handler writes each answer
// into a private buffer of the same size; this copies it into the shared one with the first
// cell last (Atomics.store), then notifies: a worker that sees the first cell set sees it all.
(() => {
  if (typeof Worker !== "function" || typeof SharedArrayBuffer !== "function") return;
  const wrapped = new WeakMap();
  const add = Worker.prototype.addEventListener;
  const remove = Worker.prototype.removeEventListener;
  // coincident's request for an answer's text: {<its channel>: [id, Int32Array(shared)]}.
  const answerRequest = (data) => {
    const keys = data && typeof data === "object" ? Object.keys(data) : [];
    const value = keys.length === 1 ? data[keys[0]] : null;
    const ok = Array.isArray(value) && value.length === 2 && typeof value[0] === "number";
    const cells = ok ? value[1] : null;
    const shared = cells instanceof Int32Array && cells.buffer instanceof SharedArrayBuffer;
    return shared && cells.length > 1 ? { key: keys[0], id: value[0], cells } : null;
  };
  function inOrder(listener) {
    return function (event) {
      const request = answerRequest(event.data);
      if (!request) return listener.call(this, event);
      const scratch = new Int32Array(request.cells.length);
      const copy = {
        data: { [request.key]: [request.id, scratch] },
        stopImmediatePropagation: () => event.stopImmediatePropagation(),
        target: event.target,
        currentTarget: event.currentTarget,
      };
      const result = listener.call(this, copy); // coincident writes synchronously, then returns
      if (scratch[0] !== 0) {
        const units = new Uint16Array(request.cells.buffer);
        const written = new Uint16Array(scratch.buffer);
        for (let i = 2; i < units.length; i++) units[i] = written[i];
        Atomics.store(request.cells, 0, scratch[0]);
        Atomics.notify(request.cells, 0);
      }
      return result;
    };
  }
  Worker.prototype.addEventListener = function (type, listener, options) {
    if (type !== "message" || typeof listener !== "function") {
      return add.call(this, type, listener, options);
    }
    if (!wrapped.has(listener)) wrapped.set(listener, inOrder(listener));
    return add.call(this, type, wrapped.get(listener), options);
  };
  Worker.prototype.removeEventListener = function (type, listener, options) {
    return remove.call(this, type, wrapped.get(listener) || listener, options);
  };
})();

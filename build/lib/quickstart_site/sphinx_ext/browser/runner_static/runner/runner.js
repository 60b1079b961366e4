// The Run buttons under the examples (runner.py writes them and the programs), and the page's
// one Python, which the exercises' workbenches share (exercise.js, imported from here).
// Nothing heavy loads with the page: the programs and the Python runtime are fetched when the
// reader first points at or focuses a Run button, or when a Run button or an exercise has been
// on screen for half a second (not with Save-Data); one worker then serves every example and every
// exercise, one job at a time.
//
// A run is stopped by the reader's Stop button or after TIME_LIMIT_SECONDS. On a
// cross-origin-isolated page the worker's Python shares an interrupt buffer with this page:
// writing SIGINT into it raises KeyboardInterrupt in the running code, and the worker answers.
// Where there is no shared memory, or Python does not answer within GRACE_MS (the code
// swallowed the interruption), the worker is terminated and a fresh one started, so the other
// Run buttons keep working.

// The same limit as CI's: the build writes its examples_timeout into the page.
import { button, element } from "./dom.js";

const TIME_LIMIT_SECONDS =
  Number(document.querySelector('meta[name="example-time-limit"]')?.content) || 10;
const GRACE_MS = 2000;
const REPEAT_MS = 500; // the interruption is repeated meanwhile, as CI repeats its alarm
const SIGINT = 2;

function metaUrl(name) {
  return new URL(document.querySelector(`meta[name="${name}"]`).content, document.baseURI);
}

const PROGRAMS = metaUrl("example-programs");
const RUNTIME = metaUrl("example-runtime");

let programs = null; // Promise of {labels, runs}; forgotten when it fails, to try again
let python = null; // the current worker: {thread, interrupt, pending, ready}
let nextId = 0;
let queue = Promise.resolve(); // the runs, one after the other
let busy = 0; // runs started and not finished

function loadPrograms() {
  programs ??= fetch(PROGRAMS)
    .then((response) => {
      if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
      return response.json();
    })
    .catch((failure) => {
      programs = null;
      throw failure;
    });
  return programs;
}

function ask(engine, message) {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    engine.pending.set(id, { resolve, reject });
    engine.thread.postMessage({ ...message, id });
  });
}

// The page's Python: a worker that boots Pyodide. A failed boot is not kept: the next call
// starts another worker.
function startPython() {
  if (!python) {
    const shared = typeof SharedArrayBuffer === "function" && self.crossOriginIsolated;
    const engine = {
      thread: new Worker(new URL("runner-worker.js", import.meta.url), { type: "module" }),
      interrupt: shared ? new Int32Array(new SharedArrayBuffer(4)) : null,
      pending: new Map(),
    };
    engine.thread.onmessage = ({ data }) => {
      const waiting = engine.pending.get(data.id);
      if (!waiting) return;
      engine.pending.delete(data.id);
      if (data.failure) waiting.reject(new Error(data.failure));
      else waiting.resolve(data);
    };
    engine.thread.onerror = (event) => {
      discard(engine, new Error(event.message || "the Python worker failed"));
    };
    engine.ready = ask(engine, {
      type: "boot",
      runtime: RUNTIME.href,
      interrupt: engine.interrupt,
      exercises: document.querySelector(".exercise-workbench[data-exercise]") !== null,
    })
      .then(({ start }) => {
        // How Python started: from the runtime's snapshot, or plainly (a slower fallback
        // that the tests must be able to see).
        document.documentElement.dataset.pythonStart = start;
        return engine;
      })
      .catch((failure) => {
        failure.boot = true;
        discard(engine, failure);
        throw failure;
      });
    python = engine;
  }
  return python.ready;
}

function discard(engine, reason) {
  engine.thread.terminate();
  if (python === engine) python = null;
  for (const waiting of engine.pending.values()) waiting.reject(reason);
  engine.pending.clear();
}

// A Python that does not stop is replaced; the next one boots now, for the next click.
function replace(engine) {
  discard(engine, new Error("stopped"));
  startPython().catch(() => {});
}

// Intent: prefetch and boot before the click lands.
function warmUp() {
  loadPrograms().catch(() => {});
  startPython().catch(() => {});
}

function inTurn(task) {
  const result = queue.then(task);
  queue = result.catch(() => {});
  return result;
}

// The console view (jupyterlite-sphinx's REPL) gets the same program, with its files
// written first: a JupyterLite kernel has no folder per example.
function consoleCode(run) {
  const lines = Object.entries(run.files).map(
    ([path, text]) =>
      `Path(${JSON.stringify(path)}).parent.mkdir(parents=True, exist_ok=True)\n` +
      `Path(${JSON.stringify(path)}).write_text(${JSON.stringify(text)}, encoding="utf-8")`,
  );
  const prelude = lines.length ? `from pathlib import Path\n${lines.join("\n")}\n\n` : "";
  return prelude + run.source + (run.epilogue || "");
}

function buildPanel(control, run, labels) {
  const panel = element("div", "example-runner-panel");
  panel.setAttribute("role", "region");
  panel.setAttribute("aria-label", `${labels.run}: ${run.example}`);

  const state = element("div", "example-runner-state");
  const status = element("p", "example-runner-status");
  status.setAttribute("aria-live", "polite");
  const stop = button("example-runner-stop", labels.stop);
  const retry = button("example-runner-retry", labels.retry);
  stop.hidden = retry.hidden = true;
  state.append(status, stop, retry);

  const outputTitle = element("p", "example-runner-output-title", labels.output);
  const output = element("pre", "example-runner-output");
  const note = element("p", "example-runner-note");
  const errors = element("pre", "example-runner-errors");
  const verdict = element("p", "example-runner-verdict");

  // The code that runs, hidden parts included, editable; Run again runs the edited text.
  const details = element("details", "example-runner-details");
  const summary = element("summary", "", labels.code);
  const code = element("textarea", "example-runner-code");
  code.value = run.source;
  code.spellcheck = false;
  code.setAttribute("aria-label", labels.code);
  code.rows = Math.min(24, run.source.split("\n").length + 1);
  const again = button("example-runner-again", `▶ ${labels.run}`);
  details.append(summary, code, again);

  const actions = element("div", "example-runner-actions");
  const consoleLink = element("a", "example-runner-console", labels.console);
  const query = new URLSearchParams({ kernel: "python", toolbar: "1", code: consoleCode(run) });
  consoleLink.href = `${control.dataset.console}?${query}`;
  consoleLink.target = "_blank";
  consoleLink.rel = "noopener";
  const close = button("example-runner-close", labels.close);
  actions.append(consoleLink, close);

  panel.append(state, outputTitle, output, note, errors, verdict, details, actions);

  const ui = { control, panel, status, stop, retry, output, note, errors, verdict, code, again };
  ui.job = null; // the run under way, if any
  const execute = () => runInPanel(ui, run, labels);
  again.addEventListener("click", execute);
  retry.addEventListener("click", execute);
  stop.addEventListener("click", () => ui.job?.stop("stopped"));
  close.addEventListener("click", () => {
    ui.job?.stop("stopped");
    panel.hidden = true;
    control.querySelector("button").focus();
  });
  return { panel, execute };
}

// Shows or hides one of the panel's buttons; a button that leaves with the keyboard focus
// hands it on to a visible one (else the focus would fall back to the start of the page).
function toggle(ui, node, visible) {
  const focused = document.activeElement === node;
  node.hidden = !visible;
  if (!focused || visible) return;
  const next = [ui.stop, ui.retry, ui.again].find((b) => !b.hidden && b.offsetParent !== null);
  (next || ui.control.querySelector("button")).focus();
}

function setState(ui, state, text) {
  ui.panel.dataset.state = state;
  ui.status.textContent = text;
}

async function runInPanel(ui, run, labels) {
  if (ui.job) return; // this panel's run is under way: its Stop button ends it
  const source = ui.code.value;
  const edited = source === run.source ? null : source;
  delete ui.panel.dataset.reason;
  ui.output.textContent = ui.note.textContent = ui.errors.textContent = "";
  ui.verdict.textContent = "";
  delete ui.verdict.dataset.matches;
  toggle(ui, ui.stop, true);
  toggle(ui, ui.retry, false);
  const job = startJob({ type: "run", run, edited }, (state) => setState(ui, state, labels[state]));
  ui.job = job;
  const { result, failure } = await job.done;
  ui.job = null;
  show(ui, run, labels, { job, edited, result, failure });
  toggle(ui, ui.stop, false);
}

// One piece of work for the page's Python (a Run button's run, an exercise's check): queued
// behind the others, limited to TIME_LIMIT_SECONDS, ended early by job.stop("stopped").
// onState(state) hears "waiting", "starting" and "running"; job.done resolves to
// {result, failure} (both null when the job was stopped before it started).
function startJob(message, onState) {
  let cancel;
  const cancelled = new Promise((resolve) => {
    cancel = resolve;
  });
  const job = {
    reason: null, // "stopped" or "timeout"
    interrupt: null, // set while the job is in the worker
    stop(reason) {
      if (job.reason) return;
      job.reason = reason;
      if (job.interrupt) job.interrupt();
      else cancel(null); // not started yet: it never will
    },
  };
  onState(busy ? "waiting" : "starting");
  busy += 1;
  job.done = Promise.race([cancelled, inTurn(() => execute(job, message, onState))])
    .then(
      (result) => ({ result, failure: null }),
      (failure) => ({ result: null, failure }),
    )
    .finally(() => {
      busy -= 1;
    });
  return job;
}

async function execute(job, message, onState) {
  if (job.reason) return null;
  onState("starting");
  const engine = await startPython();
  if (job.reason) return null;
  onState("running");
  return new Promise((resolve, reject) => {
    let grace = null;
    let repeat = null;
    job.interrupt = () => {
      if (!engine.interrupt) return replace(engine);
      Atomics.store(engine.interrupt, 0, SIGINT);
      repeat = setInterval(() => Atomics.store(engine.interrupt, 0, SIGINT), REPEAT_MS);
      grace = setTimeout(() => replace(engine), GRACE_MS);
    };
    const timer = setTimeout(() => job.stop("timeout"), TIME_LIMIT_SECONDS * 1000);
    if (engine.interrupt) Atomics.store(engine.interrupt, 0, 0); // no interruption left over
    ask(engine, message)
      .catch((error) => {
        // Python itself failed (it crashed, or was replaced): the next run gets a fresh one.
        if (python === engine) replace(engine);
        throw error;
      })
      .then(resolve, reject)
      .finally(() => {
        clearTimeout(timer);
        clearTimeout(grace);
        clearInterval(repeat);
        job.interrupt = null;
      });
  });
}

function show(ui, run, labels, { job, edited, result, failure }) {
  const stopped = job.reason && (!result || result.interrupted);
  if (result) {
    ui.output.textContent = result.stdout || (stopped ? "" : labels.no_output);
    ui.errors.textContent = result.stderr + result.error;
    ui.note.textContent = result.truncated ? labels.truncated : "";
  }
  if (stopped) {
    ui.panel.dataset.reason = job.reason;
    const text =
      job.reason === "timeout"
        ? labels.timed_out.replace("{seconds}", String(TIME_LIMIT_SECONDS))
        : labels.stopped;
    setState(ui, "stopped", text);
  } else if (failure) {
    setState(ui, "failed", `${failure.boot ? labels.failed : labels.crashed} ${failure.message}`);
    toggle(ui, ui.retry, true);
  } else {
    if (edited === null) {
      const same = result.stdout === run.expected && !result.error && !result.truncated;
      ui.verdict.textContent = same ? `✓ ${labels.matches}` : labels.differs;
      ui.verdict.dataset.matches = String(same);
    }
    setState(ui, "done", "");
  }
}

function connect(control) {
  const runButton = control.querySelector("button");
  let opened = null;
  let loading = false; // not `disabled`: a disabled button would lose the keyboard focus
  runButton.addEventListener("pointerenter", warmUp, { once: true });
  runButton.addEventListener("focus", warmUp, { once: true });
  runButton.addEventListener("click", async () => {
    if (opened) {
      opened.panel.hidden = false;
      opened.execute();
      return;
    }
    if (loading) return;
    loading = true;
    runButton.setAttribute("aria-busy", "true");
    try {
      const { labels, runs } = await loadPrograms();
      opened = buildPanel(control, runs[control.dataset.run], labels);
      control.after(opened.panel);
      opened.execute();
    } catch (failure) {
      // Without the programs there are no words to say it in; the next click tries again.
      console.error(failure);
    } finally {
      loading = false;
      runButton.removeAttribute("aria-busy");
    }
  });
}

// Issue 12: Python starts once a Run button or an exercise has been on screen for a moment
// (the reader is likely to use it), so that a click only waits for what is left; never on a
// connection the reader asked to spare (Save-Data).
// Half a second: long enough that a reader scrolling past starts nothing, short enough that
// Python is ready when one who stopped to read clicks a few seconds later.
const VISIBLE_MS = 500;

function warmUpWhenSeen(targets) {
  if (navigator.connection?.saveData || typeof IntersectionObserver !== "function") return;
  const timers = new Map();
  const observer = new IntersectionObserver((entries) => {
    for (const entry of entries) {
      if (entry.isIntersecting && !timers.has(entry.target)) {
        const timer = setTimeout(() => {
          observer.disconnect();
          timers.forEach((other) => clearTimeout(other));
          warmUp();
        }, VISIBLE_MS);
        timers.set(entry.target, timer);
      } else if (!entry.isIntersecting && timers.has(entry.target)) {
        clearTimeout(timers.get(entry.target));
        timers.delete(entry.target);
      }
    }
  });
  targets.forEach((target) => observer.observe(target));
}

const controls = document.querySelectorAll(".example-runner");
controls.forEach(connect);
const workbenches = document.querySelectorAll(".exercise-workbench[data-exercise]");
warmUpWhenSeen([...controls, ...workbenches]);
if (workbenches.length) {
  // The exercises get this module's one Python (not their own import of runner.js: the page
  // loads this file with a ?v= query, and another URL would be another module, another worker).
  import("./exercise.js")
    .then(({ connectExercises }) =>
      connectExercises(workbenches, {
        loadPrograms,
        startJob,
        warmUp,
        RUNTIME,
        TIME_LIMIT_SECONDS,
      }),
    )
    .catch((failure) => console.error(failure));
}

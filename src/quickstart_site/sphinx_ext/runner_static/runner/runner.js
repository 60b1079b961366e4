// The Run buttons under the examples (browser_runner.py writes them and the programs).
// Nothing heavy loads with the page: the programs and the Python runtime are fetched when the
// reader first points at or focuses a Run button, and one worker then serves every example.

const RUNTIME = new URL("../../../_runtime/", import.meta.url);
const programsMeta = document.querySelector('meta[name="example-programs"]');

let programs = null; // Promise of {labels, runs}
let worker = null; // Promise of the booted worker
let nextId = 0;
const pending = new Map();

function loadPrograms() {
  programs ??= fetch(new URL(programsMeta.content, document.baseURI)).then((response) => {
    if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
    return response.json();
  });
  return programs;
}

function ask(target, message) {
  const id = ++nextId;
  return new Promise((resolve, reject) => {
    pending.set(id, { resolve, reject });
    target.postMessage({ ...message, id });
  });
}

function startPython() {
  if (!worker) {
    const thread = new Worker(new URL("runner-worker.js", import.meta.url), { type: "module" });
    thread.onmessage = ({ data }) => {
      const waiting = pending.get(data.id);
      pending.delete(data.id);
      if (data.failure) waiting.reject(new Error(data.failure));
      else waiting.resolve(data);
    };
    thread.onerror = (event) => {
      for (const waiting of pending.values()) waiting.reject(new Error(event.message));
      pending.clear();
    };
    worker = ask(thread, { type: "boot", runtime: RUNTIME.href }).then(() => thread);
  }
  return worker;
}

// Intent: prefetch and boot before the click lands.
function warmUp() {
  loadPrograms().catch(() => {});
  startPython().catch(() => {});
}

function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
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
  return prelude + run.source;
}

function buildPanel(control, run, labels) {
  const panel = element("div", "example-runner-panel");
  panel.setAttribute("role", "region");
  panel.setAttribute("aria-label", `${labels.run}: ${run.example}`);

  // The code that runs, hidden parts included, editable; Run again runs the edited text.
  const details = element("details", "example-runner-details");
  const summary = element("summary", "", labels.code);
  const code = element("textarea", "example-runner-code");
  code.value = run.source;
  code.spellcheck = false;
  code.setAttribute("aria-label", labels.code);
  code.rows = Math.min(24, run.source.split("\n").length + 1);
  const again = element("button", "example-runner-again", `▶ ${labels.run}`);
  again.type = "button";
  details.append(summary, code, again);

  const actions = element("div", "example-runner-actions");
  const consoleLink = element("a", "example-runner-console", labels.console);
  const query = new URLSearchParams({ kernel: "python", toolbar: "1", code: consoleCode(run) });
  consoleLink.href = `${control.dataset.console}?${query}`;
  consoleLink.target = "_blank";
  consoleLink.rel = "noopener";
  const close = element("button", "example-runner-close", labels.close);
  close.type = "button";
  actions.append(consoleLink, close);

  const status = element("p", "example-runner-status");
  status.setAttribute("aria-live", "polite");
  const outputTitle = element("p", "example-runner-output-title", labels.output);
  const output = element("pre", "example-runner-output");
  const errors = element("pre", "example-runner-errors");
  const verdict = element("p", "example-runner-verdict");
  panel.append(status, outputTitle, output, errors, verdict, details, actions);

  const execute = () => runInPanel(panel, run, labels);
  again.addEventListener("click", execute);
  close.addEventListener("click", () => {
    panel.hidden = true;
    control.querySelector("button").focus();
  });
  return { panel, execute };
}

async function runInPanel(panel, run, labels) {
  const status = panel.querySelector(".example-runner-status");
  const output = panel.querySelector(".example-runner-output");
  const errors = panel.querySelector(".example-runner-errors");
  const verdict = panel.querySelector(".example-runner-verdict");
  const source = panel.querySelector(".example-runner-code").value;
  panel.dataset.state = "starting";
  status.textContent = labels.starting;
  output.textContent = errors.textContent = verdict.textContent = "";
  let thread;
  try {
    thread = await startPython();
  } catch (failure) {
    panel.dataset.state = "failed";
    status.textContent = `${labels.failed} ${failure.message}`;
    return;
  }
  panel.dataset.state = "running";
  status.textContent = labels.running;
  try {
    const result = await ask(thread, { type: "run", prelude: run.prelude, source, files: run.files });
    output.textContent = result.stdout || labels.no_output;
    errors.textContent = result.stderr + result.error;
    const unchanged = source === run.source;
    if (unchanged) {
      const same = result.stdout === run.expected && !result.error;
      verdict.textContent = same ? `✓ ${labels.matches}` : labels.differs;
      verdict.dataset.matches = String(same);
    }
    status.textContent = "";
    panel.dataset.state = "done";
  } catch (failure) {
    panel.dataset.state = "failed";
    status.textContent = `${labels.failed} ${failure.message}`;
  }
}

function connect(control) {
  const button = control.querySelector("button");
  let opened = null;
  button.addEventListener("pointerenter", warmUp, { once: true });
  button.addEventListener("focus", warmUp, { once: true });
  button.addEventListener("click", async () => {
    if (opened) {
      opened.panel.hidden = false;
      opened.execute();
      return;
    }
    button.disabled = true;
    try {
      const { labels, runs } = await loadPrograms();
      opened = buildPanel(control, runs[control.dataset.run], labels);
      control.after(opened.panel);
      opened.execute();
    } finally {
      button.disabled = false;
    }
  });
}

document.querySelectorAll(".example-runner").forEach(connect);

// The exercises' workbenches: an editor with the starter code, Check, Stop, Show solution,
// Reset, a result per check, hints one at a time, and the reader's progress.
//
// runner.js imports this module when the page has an exercise and hands it its one Python
// (`api.startJob`): the checks run in the same worker as the Run buttons, one job at a time,
// with the same time limit and Stop. The page's program JSON (`_examples/<page>.json`) gives
// each exercise ("exercises", the contract's map) and every word shown ("labels", in the
// page's language). Progress and drafts stay in this browser (localStorage): nothing is sent.
//
// Without JavaScript the page shows the starter code inside each workbench and every hint.

import { button as makeButton, element } from "./dom.js";

const STORE = "quickstart-exercises"; // {label: {solved: bool, draft: string}}
const DRAFT_SAVE_MS = 400;

// Only if the page's labels miss a word (a programs file older than this script): a last
// resort, in English. Every word shown comes from the page's labels (labels.py), translated.
const FALLBACK = {
  check: "Check",
  checking: "Checking…",
  show_solution: "Show solution",
  hide_solution: "Hide solution",
  use_solution: "Use this code",
  solution: "A solution",
  reset: "Reset",
  reset_confirm: "Replace your code with the starter code?",
  next_hint: "Next hint",
  progress: "{done} of {total} done",
  passed: "Passed",
  failed_check: "Not yet",
  all_passed: "All checks pass: well done!",
  some_passed: "Checks passed: {passed} of {total}.",
  solved: "Solved",
  editor: "Your code",
  editor_help:
    "Tab indents the line and Shift+Tab dedents it; to leave the editor with the keyboard, " +
    "press Escape, then Tab. Ctrl+Enter (⌘+Enter) runs the checks.",
  results: "Results of the checks",
  output: "Output",
  check_timed_out: "Your code ran out of time ({seconds} s) and was stopped.",
  stop: "Stop",
  stopped: "Stopped.",
  starting: "Starting Python in your browser…",
  waiting: "Waiting for the example that is running…",
  failed: "Python could not start in this browser:",
  crashed: "Python stopped working in this browser:",
  truncated: "Output truncated: only the beginning is shown.",
};

function format(text, values) {
  return text.replace(/\{(\w+)\}/g, (whole, name) =>
    name in values ? String(values[name]) : whole,
  );
}

function button(className, text) {
  return makeButton(`exercise-button ${className}`, text);
}

// localStorage may be absent or refuse (private modes, full quota): progress is then kept
// for this visit only.
let memory = {};
function readStore() {
  try {
    return JSON.parse(localStorage.getItem(STORE) || "{}") || {};
  } catch {
    return memory;
  }
}

function updateStore(label, change) {
  const store = readStore();
  store[label] = { ...store[label], ...change };
  if (store[label].draft === undefined) delete store[label].draft;
  memory = store;
  try {
    localStorage.setItem(STORE, JSON.stringify(store));
  } catch {
    // kept in memory only
  }
}

export function connectExercises(workbenches, api) {
  // The styles come with the script: a page without JavaScript has no workbench to style.
  const style = document.createElement("link");
  style.rel = "stylesheet";
  style.href = new URL("exercise.css", import.meta.url).href;
  document.head.append(style);
  const load = api.loadPrograms; // {labels, exercises}, fetched once (again if it failed)
  const progress = document.querySelectorAll("p.exercise-progress[data-total]");
  const ids = [...workbenches].map((bench) => bench.dataset.exercise);
  let editorModule = null;
  const loadEditor = () =>
    (editorModule ??= import(new URL("editor/editor.mjs", api.RUNTIME).href).catch((failure) => {
      editorModule = null;
      throw failure;
    }));

  const updateProgress = async () => {
    const { labels, exercises } = await load();
    const words = { ...FALLBACK, ...labels };
    const store = readStore();
    const mine = Object.keys(exercises || {});
    const done = mine.filter((id) => store[id]?.solved).length;
    for (const line of progress) {
      line.textContent = format(words.progress, { done, total: line.dataset.total });
    }
    for (const bench of workbenches) {
      markSolved(bench, Boolean(store[bench.dataset.exercise]?.solved), words);
    }
  };

  // A returning reader sees their progress at once; a new one when the first exercise nears.
  const store = readStore();
  if (ids.some((id) => store[id])) updateProgress().catch((failure) => console.error(failure));

  // A workbench is built when it comes near the screen: the editor (CodeMirror) and the
  // programs are fetched then, not with the page.
  const near = new IntersectionObserver(
    (entries) => {
      for (const entry of entries) {
        if (!entry.isIntersecting) continue;
        near.unobserve(entry.target);
        Promise.all([load(), loadEditor()])
          .then(([{ labels, exercises }, editor]) => {
            const id = entry.target.dataset.exercise;
            const exercise = exercises?.[id];
            if (!exercise) throw new Error(`no exercise ${id} in the page's programs`);
            build(entry.target, exercise, { ...FALLBACK, ...labels }, editor, api, updateProgress);
          })
          .catch((failure) => console.error(failure));
      }
    },
    { rootMargin: "400px 0px" },
  );
  workbenches.forEach((bench) => near.observe(bench));
}

function markSolved(bench, solved, words) {
  const title = bench.closest(".admonition, .exercise")?.querySelector(".admonition-title");
  if (!title) return;
  let mark = title.querySelector(".exercise-solved-mark");
  if (solved && !mark) {
    mark = element("span", "exercise-solved-mark");
    mark.append(element("span", "", "✓ "), words.solved);
    mark.firstChild.setAttribute("aria-hidden", "true");
    title.append(" ", mark);
  } else if (!solved && mark) {
    mark.remove();
  }
}

function build(bench, exercise, words, editorModule, api, updateProgress) {
  const id = exercise.id;
  bench.replaceChildren(); // the starter code shown without JavaScript
  bench.dataset.state = "ready";

  const help = element("p", "exercise-help", words.editor_help);
  help.id = `${id}-editor-help`;
  const host = element("div", "exercise-editor");
  const saved = readStore()[id]?.draft;
  let saveTimer = null; // a draft save is pending
  const editor = editorModule.createEditor(host, {
    doc: saved ?? exercise.starter,
    // Ten editors on a page: each named with its exercise's number ("Your code (3)").
    label: exercise.number ? `${words.editor} (${exercise.number})` : words.editor,
    describedBy: help.id,
    onRun: () => check(),
    onChange: () => {
      clearTimeout(saveTimer);
      saveTimer = setTimeout(saveDraft, DRAFT_SAVE_MS);
    },
  });
  function saveDraft() {
    clearTimeout(saveTimer);
    saveTimer = null;
    const text = editor.getValue();
    updateStore(id, { draft: text === exercise.starter ? undefined : text });
  }
  // A draft still waiting for its save is saved when the reader leaves or reloads the page.
  addEventListener("pagehide", () => saveTimer !== null && saveDraft());

  const actions = element("div", "exercise-actions");
  const checkButton = button("exercise-check", words.check);
  const stopButton = button("exercise-stop", words.stop);
  stopButton.disabled = true;
  const solutionButton = button("exercise-show-solution", words.show_solution);
  solutionButton.setAttribute("aria-expanded", "false");
  const resetButton = button("exercise-reset", words.reset);
  actions.append(checkButton, stopButton, solutionButton, resetButton);

  // The verdict: announced when it changes (the output below it is not: it may be long).
  const live = element("div", "exercise-live");
  live.setAttribute("aria-live", "polite");
  const status = element("p", "exercise-status");
  const results = element("ul", "exercise-results");
  results.setAttribute("aria-label", words.results);
  live.append(status, results);
  const outputTitle = element("p", "exercise-output-title", words.output);
  const output = element("pre", "exercise-output");
  const errors = element("pre", "exercise-errors");
  for (const box of [output, errors]) box.tabIndex = 0; // may scroll: reachable by keyboard
  const note = element("p", "exercise-note");
  const outputs = element("div", "exercise-outputs");
  outputs.hidden = true;
  outputs.append(outputTitle, output, errors, note);

  const solution = element("div", "exercise-solution");
  solution.id = `${id}-solution`;
  solution.hidden = true;
  solutionButton.setAttribute("aria-controls", solution.id);
  const solutionTitle = element("p", "exercise-solution-title", words.solution);
  const solutionCode = element("pre", "exercise-solution-code", exercise.solution);
  solutionCode.tabIndex = 0; // scrollable: reachable by keyboard
  solutionCode.setAttribute("aria-label", words.solution);
  const useButton = button("exercise-use-solution", words.use_solution);
  solution.append(solutionTitle, solutionCode, useButton);

  bench.append(help, host, actions, live, outputs, solution);
  connectHints(bench, words);

  let job = null;
  const setState = (state, text) => {
    bench.dataset.state = state;
    status.textContent = text;
  };

  async function check() {
    if (job) return; // under way: Stop ends it
    const source = editor.getValue();
    results.replaceChildren();
    output.textContent = errors.textContent = note.textContent = "";
    outputs.hidden = true;
    delete bench.dataset.reason;
    delete bench.dataset.passed;
    stopButton.disabled = false;
    const onState = (state) =>
      setState(state, state === "running" ? words.checking : words[state] || "");
    job = api.startJob({ type: "check", exercise, source }, onState);
    const current = job;
    const { result, failure } = await current.done;
    job = null;
    if (document.activeElement === stopButton) checkButton.focus(); // a disabled button drops it
    stopButton.disabled = true;
    show(current, result, failure);
  }

  function show(current, result, failure) {
    bench.dataset.checked = String(Number(bench.dataset.checked || 0) + 1); // checks ended
    const stopped = current.reason && (!result || result.interrupted);
    if (result) {
      output.textContent = result.stdout;
      errors.textContent = result.stderr + result.error;
      note.textContent = result.truncated ? words.truncated : "";
      outputs.hidden = !(result.stdout || result.stderr || result.error);
    }
    if (stopped) {
      bench.dataset.reason = current.reason;
      const text =
        current.reason === "timeout"
          ? format(words.check_timed_out, { seconds: api.TIME_LIMIT_SECONDS })
          : words.stopped;
      setState("stopped", text);
      return;
    }
    if (failure) {
      setState("failed", `${failure.boot ? words.failed : words.crashed} ${failure.message}`);
      return;
    }
    const checks = result.checks || [];
    for (const [index, outcome] of checks.entries()) {
      const item = element("li", "exercise-result");
      item.dataset.passed = String(outcome.passed);
      const sign = element("span", "exercise-result-sign", outcome.passed ? "✓" : "✗");
      sign.setAttribute("aria-hidden", "true");
      const verdict = outcome.passed ? words.passed : words.failed_check;
      item.append(sign, " ", element("strong", "", verdict));
      if (!outcome.passed) {
        item.append(" ", element("span", "exercise-result-message", outcome.message));
      }
      item.dataset.check = String(index + 1);
      results.append(item);
    }
    const passed = checks.filter((outcome) => outcome.passed).length;
    const solved = checks.length > 0 && passed === checks.length;
    bench.dataset.passed = String(solved);
    setState(
      "done",
      solved ? words.all_passed : format(words.some_passed, { passed, total: checks.length }),
    );
    if (solved) {
      updateStore(id, { solved: true });
      updateProgress().catch((error) => console.error(error));
    }
  }

  checkButton.addEventListener("click", () => check());
  // Pointing at Check, or focusing it, starts Python if it has not started yet.
  checkButton.addEventListener("pointerenter", api.warmUp, { once: true });
  checkButton.addEventListener("focus", api.warmUp, { once: true });
  stopButton.addEventListener("click", () => job?.stop("stopped"));
  resetButton.addEventListener("click", () => {
    const text = editor.getValue();
    if (text !== exercise.starter && !confirm(words.reset_confirm)) return;
    editor.setValue(exercise.starter);
    saveDraft();
    editor.focus();
  });
  solutionButton.addEventListener("click", () => {
    solution.hidden = !solution.hidden;
    solutionButton.setAttribute("aria-expanded", String(!solution.hidden));
    solutionButton.textContent = solution.hidden ? words.show_solution : words.hide_solution;
  });
  useButton.addEventListener("click", () => {
    editor.setValue(exercise.solution);
    editor.focus();
  });
}

// The hints, one at a time: all are in the HTML (readable without JavaScript); here they are
// hidden and a button reveals the next one, opened, with the focus on it.
function connectHints(bench, words) {
  const box = bench.closest(".admonition, .exercise")?.querySelector(".exercise-hints") ??
    bench.parentElement?.querySelector(".exercise-hints");
  if (!box || box.dataset.connected) return;
  box.dataset.connected = "true";
  const hints = [...box.querySelectorAll("details.exercise-hint")];
  if (!hints.length) return;
  hints.forEach((hint) => {
    hint.hidden = true;
  });
  const next = button("exercise-next-hint", words.next_hint);
  hints.forEach((hint, index) => {
    hint.id ||= `${bench.dataset.exercise}-hint-${index + 1}`;
  });
  next.setAttribute("aria-controls", hints.map((hint) => hint.id).join(" "));
  box.prepend(next);
  next.addEventListener("click", () => {
    const hint = hints.find((candidate) => candidate.hidden);
    if (!hint) return;
    hint.hidden = false;
    hint.open = true;
    next.hidden = !hints.some((candidate) => candidate.hidden);
    (hint.querySelector("summary") || hint).focus(); // the reader reads it; Shift+Tab: the button
  });
}

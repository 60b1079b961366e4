// How the site's Pythons start Pyodide: the Run buttons' worker (runner-worker.js imports this
// file) and the JupyterLite app's kernel (lite_app.py copies this file into the app as
// kernel-start.js and names it as the kernel's `pyodideUrl`; the kernel's worker,
// jupyterlite-pyodide-kernel 0.8.6, imports it and calls `loadPyodide(options)` with the app's
// loadPyodideOptions). One file, so both start the same way.
//
// `loadPyodide(options)` is Pyodide's own (imported from options.indexURL, the runtime's
// pyodide/ folder), with two changes, each measured in the cold starts:
//
// - Pyodide restores the runtime's memory snapshot (orchestration/warm_start.py) instead of
//   starting Python: a tenth of the time. The snapshot is fetched and unpacked beside Pyodide's
//   own fetches (loadPyodide starts the wasm's fetch before it awaits the snapshot). A snapshot
//   this Pyodide cannot restore, or cannot fetch, means a plain start.
// - The wheels of options.packages are fetched as the worker starts, side by side with the
//   wasm and the snapshot, not after Python is up: Pyodide's own requests for them get these
//   responses (same URL, same integrity, once each), so each wheel crosses the network once.
//
// Every reader restores the same memory: `random` gets a seed of this reader's own. The
// returned Pyodide says how it started: `pyodide.start` is "snapshot" or "plain".

const networkFetch = globalThis.fetch;
const early = new Map(); // wheel URL -> {integrity, response: Promise<Response>}
let listed = Promise.resolve(); // settled once `early` holds every wheel it will hold

export async function loadPyodide(options) {
  const { loadPyodide: start } = await import(new URL("pyodide.mjs", options.indexURL).href);
  const memory = snapshot(options.indexURL);
  memory.catch(() => {}); // awaited by Pyodide; a failure is handled below
  // Not awaited: Pyodide starts fetching its wasm meanwhile (awaited, the lock file's round
  // trip delayed the wasm's by 0.15 s); a wheel Pyodide asks for waits for the list.
  listed = prefetch(options.indexURL, options.packages || []).catch(() => early.clear());
  globalThis.fetch = earlyFetch;
  try {
    const pyodide = await start({ ...options, _loadSnapshot: memory });
    pyodide.runPython("import random; random.seed()");
    console.info("pyodide-start: Python restored from the runtime's snapshot");
    return Object.assign(pyodide, { start: "snapshot" });
  } catch (error) {
    console.warn("pyodide-start: snapshot not restored, starting Python plainly:", error);
  } finally {
    globalThis.fetch = networkFetch;
    early.clear();
  }
  return Object.assign(await start(options), { start: "plain" });
}

async function snapshot(indexURL) {
  const response = await networkFetch(new URL("snapshot.gzip", indexURL));
  if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes[0] !== 0x1f || bytes[1] !== 0x8b) return bytes; // the server decoded it already
  const unpacked = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"));
  return new Uint8Array(await new Response(unpacked).arrayBuffer());
}

// Each wheel `packages` needs, with its dependencies, as Pyodide's lock file names them.
async function prefetch(indexURL, packages) {
  const lockURL = new URL("pyodide-lock.json", indexURL);
  const response = await networkFetch(lockURL);
  if (!response.ok) throw new Error(`${response.url}: ${response.status}`);
  const lock = (await response.json()).packages;
  const todo = packages.map(canonical);
  const seen = new Set();
  while (todo.length) {
    const name = todo.pop();
    if (seen.has(name) || !lock[name]) continue;
    seen.add(name);
    todo.push(...lock[name].depends.map(canonical));
    const url = new URL(lock[name].file_name, lockURL).href;
    // The integrity Pyodide asks for (its checkIntegrity), so the browser checks these bytes.
    const integrity = `sha256-${base64(lock[name].sha256)}`;
    early.set(url, { integrity, response: networkFetch(url, { integrity }) });
  }
}

async function earlyFetch(input, init) {
  const url = typeof input === "string" || input instanceof URL ? String(input) : null;
  if (url?.endsWith(".whl")) await listed;
  const found = url && early.get(url);
  if (found && (init?.integrity ?? "") === found.integrity) {
    early.delete(url);
    return found.response.catch(() => networkFetch(input, init));
  }
  return networkFetch(input, init);
}

function canonical(name) {
  return name.toLowerCase().replace(/[-_.]+/g, "-");
}

function base64(hex) {
  const bytes = hex.match(/../g).map((pair) => String.fromCharCode(parseInt(pair, 16)));
  return btoa(bytes.join(""));
}

// Starts a real dvchub binary for the browser tests and stops it again.
//
// startServer() runs `$DVCHUB_BINARY serve --seed-demo` in a fresh temporary working directory (so the SQLite store
// is var/dvchub.db there), listening on 127.0.0.1 port 0; the port the kernel chose is read from the server's
// "đang phục vụ tại http://…" log line, then /healthz is polled until it answers {"status":"ok"}. The assistant's
// engine is built after the server listens (asks answer 503 until then): startServer({ waitForAssistant: true })
// also waits until /metrics says `dvchub_assistant_ready 1`.
// The returned handle's stop() sends SIGTERM, waits for the exit (SIGKILL after a grace period) and removes the
// temporary directory; it resolves to { code, signal, output } so a test can assert a clean shutdown.
// No server outlives a failed run: the server runs under coreutils `timeout` (10 minutes at most, SIGKILL 60 s
// after any SIGTERM it passes on), and is sent SIGTERM if this Node process exits or is interrupted.
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Generous: a sanitizer build (-O0) on 2 busy cores took 33 s to migrate, seed and listen, and 26 s from SIGTERM to
// exit (most of it freeing the search module's term tables); ctest gives the whole file 300 s.
const STARTUP_TIMEOUT_MS = 150_000;
const STOP_GRACE_MS = 60_000;
const SERVER_LIFETIME_SECONDS = 600;

const running = new Set();
function killAllSync() {
  for (const child of running) {
    try {
      child.kill('SIGTERM'); // to `timeout`, which passes it on and kills the server if it lingers
    } catch {
      // already gone
    }
  }
}
process.on('exit', killAllSync);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    killAllSync();
    process.exit(128 + ({ SIGHUP: 1, SIGINT: 2, SIGTERM: 15 })[signal]);
  });
}

export function dvchubBinary() {
  const binary = process.env.DVCHUB_BINARY;
  if (!binary) {
    throw new Error('DVCHUB_BINARY is not set: point it at a built dvchub, e.g. DVCHUB_BINARY=build/release/dvchub');
  }
  const absolute = path.resolve(binary);
  if (!existsSync(absolute)) throw new Error(`DVCHUB_BINARY ${absolute} does not exist; build it first`);
  return absolute;
}

function delay(milliseconds) {
  return new Promise((resolve) => setTimeout(resolve, milliseconds));
}

export async function startServer({ waitForAssistant = false } = {}) {
  const binary = dvchubBinary();
  const workDirectory = mkdtempSync(path.join(tmpdir(), 'dvchub-browser-'));
  // Only our settings: a caller's DVCHUB_CONFIG or DVCHUB_DATABASE_URL must not point the test at a shared store.
  const environment = Object.fromEntries(Object.entries(process.env).filter(([name]) => !name.startsWith('DVCHUB_')));
  // coreutils `timeout` caps the server's life even if this process is SIGKILLed (as by a ctest timeout); it passes
  // SIGTERM on, sends SIGKILL if the server is still there STOP_GRACE_MS later, and exits as the server did
  // (re-raising the signal that ended it), so exit codes and signals below are the server's.
  const child = spawn(
    'timeout',
    [`--kill-after=${STOP_GRACE_MS / 1000}s`, `${SERVER_LIFETIME_SECONDS}s`, binary, 'serve', '--seed-demo'],
    {
      cwd: workDirectory,
      env: {
        ...environment,
        DVCHUB_LISTEN: '127.0.0.1:0',
        DVCHUB_ACCESS_LOG: 'false',
        DVCHUB_DATABASE_URL: `sqlite://${path.join(workDirectory, 'var', 'dvchub.db')}`,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  running.add(child);

  let output = '';
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    });
  });
  let exitStatus = null;
  exited.then((status) => {
    exitStatus = status;
  });
  const portFound = new Promise((resolve) => {
    const onData = (chunk) => {
      output += chunk.toString('utf8');
      const match = output.match(/http:\/\/127\.0\.0\.1:(\d+)/);
      if (match && Number(match[1]) > 0) resolve(Number(match[1]));
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
  });

  const stop = async () => {
    if (exitStatus === null) {
      child.kill('SIGTERM');
      // `timeout` kills the server after STOP_GRACE_MS; this is for `timeout` itself hanging.
      const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS + 15_000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(workDirectory, { recursive: true, force: true });
    return { ...exitStatus, output };
  };

  let startupTimer;
  try {
    const port = await Promise.race([
      portFound,
      exited.then((status) => {
        throw new Error(`dvchub exited before listening (${JSON.stringify(status)}):\n${output}`);
      }),
      new Promise((resolve, reject) => {
        startupTimer = setTimeout(
          () => reject(new Error(`dvchub did not report its port within ${STARTUP_TIMEOUT_MS} ms:\n${output}`)),
          STARTUP_TIMEOUT_MS,
        );
      }),
    ]).finally(() => clearTimeout(startupTimer));
    const baseUrl = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + STARTUP_TIMEOUT_MS;
    for (;;) {
      if (exitStatus !== null) throw new Error(`dvchub exited while starting (${JSON.stringify(exitStatus)}):\n${output}`);
      try {
        const response = await fetch(`${baseUrl}/healthz`);
        if (response.ok && (await response.json()).status === 'ok') break;
      } catch {
        // not accepting connections yet
      }
      if (Date.now() > deadline) throw new Error(`/healthz did not answer ok within ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
      await delay(100);
    }
    while (waitForAssistant) {
      if (exitStatus !== null) throw new Error(`dvchub exited while starting (${JSON.stringify(exitStatus)}):\n${output}`);
      const metrics = await fetch(`${baseUrl}/metrics`).then((response) => response.text());
      if (/^dvchub_assistant_ready 1$/m.test(metrics)) break;
      if (Date.now() > deadline) throw new Error(`the assistant was not ready within ${STARTUP_TIMEOUT_MS} ms:\n${output}`);
      await delay(100);
    }
    return { baseUrl, workDirectory, stop, output: () => output };
  } catch (error) {
    await stop();
    throw error;
  }
}

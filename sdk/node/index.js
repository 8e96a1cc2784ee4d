// Node.js wrapper of `orchestrator exec --jsonl`: no runtime dependencies.
// Events stream as an async iterator with bounded buffering; the final summary is a promise.
import { spawn } from 'node:child_process';

/** Exit codes of the CLI's own failures (docs/cli.md#exit-codes). */
export const ExitCodes = Object.freeze({
  usage: 64,
  verifyFailed: 65,
  notFound: 66,
  unavailable: 69,
  internal: 70,
  runsRootNotWritable: 73,
  outputClosed: 74,
  approvalDenied: 77,
  configuration: 78,
  resumeRefused: 79,
  timedOut: 124,
  cannotExecute: 126,
  commandNotFound: 127,
  cancelled: 130,
});

/** The CLI failed before a run was recorded (bad flag, bad configuration, CLI not found). */
export class OrchestratorError extends Error {
  constructor(message, { exitCode = null, stderr = '', cause } = {}) {
    super(message, cause ? { cause } : undefined);
    this.name = 'OrchestratorError';
    this.exitCode = exitCode;
    this.stderr = stderr;
  }
}

const HIGH_WATER_MARK = 256;

/** The CLI to spawn: options.cli, else ORCHESTRATOR_CLI, else `orchestrator` on PATH. */
export function resolveCli(options = {}) {
  return options.cli ?? process.env.ORCHESTRATOR_CLI ?? 'orchestrator';
}

// `--flag value` as two argv entries, left out when the value is undefined or null.
const adder = (argv) => (name, value) => {
  if (value !== undefined && value !== null) argv.push(name, String(value));
};

// A number is seconds, as the CLI reads a plain number ('0.25' = 250 ms); a string passes as is ('250ms', '5m').
const duration = (value) => (typeof value === 'number' ? `${value}s` : value);

// One entry or a list of them (a single string is one entry, never its characters).
const list = (value) => (value === undefined || value === null ? [] : typeof value === 'string' ? [value] : [...value]);

/**
 * The run settings `exec` and `resume` share (the CLI's `start` has them too): each `--flag value` as
 * separate argv entries, never through a shell.
 * Values are not checked here: the CLI refuses a bad one (exit 64, or 78 for a bad --notify target).
 */
function settingFlags(out, options) {
  const add = adder(out);
  add('--approval-policy', options.approvalPolicy);
  add('--sandbox', options.sandbox);
  if (options.network !== undefined) out.push('--network', options.network ? 'true' : 'false');
  for (const root of list(options.writableRoots)) out.push('--writable-root', String(root));
  add('--max-attempts', options.maxAttempts);
  add('--otel-endpoint', options.otelEndpoint);
  for (const target of list(options.notify)) out.push('--notify', String(target));
}

function flags(options) {
  const out = ['exec', '--jsonl'];
  const add = adder(out);
  add('--cwd', options.cwd);
  add('--task', options.task);
  add('--runs-root', options.runsRoot);
  add('--config', options.config);
  settingFlags(out, options);
  if (options.requestEscalation) out.push('--request-escalation');
  if (options.pty) out.push('--pty');
  add('--session', options.session);
  add('--columns', options.columns);
  add('--rows', options.rows);
  add('--timeout', duration(options.timeout));
  add('--kill-grace', duration(options.killGrace));
  add('--event-budget', options.eventBudget);
  add('--capture-bytes', options.captureBytes);
  add('--id', options.id);
  add('--title', options.title);
  for (const [name, value] of Object.entries(options.env ?? {})) out.push('--env', `${name}=${value}`);
  return out;
}

/**
 * Runs `command args...` through `orchestrator exec --jsonl`.
 * @returns {ExecRun}
 */
export function exec(command, args = [], options = {}) {
  if (typeof command !== 'string' || command.length === 0) {
    throw new TypeError('exec needs a command');
  }
  return new ExecRun(resolveCli(options), [...flags(options), '--', command, ...args], options);
}

export class ExecRun {
  #child;
  #queue = [];
  #waiters = [];
  #ended = false;
  #error = null;
  #iterating = false;
  #discard = false;
  #partial = '';
  #stderr = '';
  #runSummary = null;
  #runBegin = null;
  #summary;

  constructor(cli, argv, options) {
    this.#child = spawn(cli, argv, {
      cwd: options.spawnCwd,
      env: options.processEnv ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.#child.stdout.setEncoding('utf8');
    this.#child.stderr.setEncoding('utf8');
    this.#child.stdout.on('data', (text) => this.#onData(text));
    this.#child.stderr.on('data', (text) => {
      if (this.#stderr.length < 64 * 1024) this.#stderr += text;
    });

    const onAbort = () => this.cancel();
    options.signal?.addEventListener('abort', onAbort, { once: true });
    if (options.signal?.aborted) queueMicrotask(onAbort);

    this.#summary = new Promise((resolve, reject) => {
      this.#child.on('error', (error) => {
        const failure = new OrchestratorError(`cannot start ${cli}: ${error.message}`, { cause: error });
        this.#finish(failure);
        reject(failure);
      });
      this.#child.on('close', (code, signal) => {
        options.signal?.removeEventListener('abort', onAbort);
        if (this.#partial.length > 0) this.#onLine(this.#partial);
        this.#partial = '';
        const exitCode = code ?? (signal ? 128 : null);
        if (this.#runSummary === null) {
          const failure = new OrchestratorError(
            this.#stderr.trim() || `orchestrator exited with ${exitCode ?? signal} before recording a run`,
            { exitCode, stderr: this.#stderr });
          this.#finish(failure);
          reject(failure);
          return;
        }
        this.#finish(null);
        const payload = this.#runSummary.payload;
        resolve({
          exitCode,
          runId: this.#runSummary.runId,
          taskId: payload.taskId,
          status: payload.status,
          statusDetail: payload.statusDetail ?? null,
          commandExitCode: payload.exitCode ?? null,
          manifestPath: payload.manifestPath,
          eventsPath: this.#runBegin?.payload.eventsPath ?? null,
          durationMs: payload.durationMs,
          stderr: this.#stderr,
        });
      });
    });
    // A caller that only iterates must not see an unhandled rejection; awaiting summary still rejects.
    this.#summary.catch(() => {});
  }

  /** The CLI's process id. */
  get pid() {
    return this.#child.pid;
  }

  /**
   * Resolves when the CLI exits: its exit code and the run's summary. Rejects with an
   * OrchestratorError when no run was recorded (usage or configuration error, CLI missing).
   * Taken before iterating has begun (in the same tick), events are discarded rather than buffered.
   */
  get summary() {
    if (!this.#iterating) {
      setImmediate(() => {
        if (!this.#iterating) {
          this.#discard = true;
          this.#queue.length = 0;
          this.#child.stdout.resume();
        }
      });
    }
    return this.#summary;
  }

  /** Ends the command: SIGINT to the CLI, which ends the command's process tree and records the run as cancelled. */
  cancel(signal = 'SIGINT') {
    if (this.#child.exitCode === null && this.#child.signalCode === null) this.#child.kill(signal);
  }

  [Symbol.asyncIterator]() {
    return this.events();
  }

  /** The run's events, in order, as they are written. Leaving the loop early cancels the command. */
  async *events() {
    if (this.#iterating) throw new Error('the events of a run can be iterated once');
    if (this.#discard) throw new Error('events were discarded: iterate before (or in the same tick as) taking summary');
    this.#iterating = true;
    let completed = false;
    try {
      for (;;) {
        if (this.#queue.length > 0) {
          const next = this.#queue.shift();
          if (this.#queue.length < HIGH_WATER_MARK / 2) this.#child.stdout.resume();
          yield next;
          continue;
        }
        if (this.#ended) break;
        await new Promise((resolve) => this.#waiters.push(resolve));
      }
      completed = true;
      if (this.#error) throw this.#error;
    } finally {
      if (!completed && !this.#ended) {
        this.cancel();
        this.#discard = true;
        this.#queue.length = 0;
        this.#child.stdout.resume();
      }
    }
  }

  #onData(text) {
    const lines = (this.#partial + text).split('\n');
    this.#partial = lines.pop();
    for (const line of lines) {
      if (line.length > 0) this.#onLine(line);
    }
  }

  #onLine(line) {
    let event;
    try {
      event = JSON.parse(line);
    } catch {
      return; // not an event line (cannot happen with --jsonl, but never crash a consumer)
    }
    if (event.type === 'run:begin') this.#runBegin = event;
    if (event.type === 'run:summary') this.#runSummary = event;
    if (this.#discard) return;
    this.#queue.push(event);
    if (this.#queue.length >= HIGH_WATER_MARK) this.#child.stdout.pause();
    this.#wake();
  }

  #finish(error) {
    this.#ended = true;
    this.#error = error;
    this.#wake();
  }

  #wake() {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/**
 * Resumes a failed, cancelled or stale pipeline run through `orchestrator resume <run> --format json`:
 * a new run that skips the steps that succeeded. Resolves with the CLI's JSON document (runId,
 * parentRunId, status, steps[], resumeToken, manifestPath, cliExitCode, ...) whatever the resumed
 * run's outcome; rejects with OrchestratorError when no run was recorded (unknown run 66, corrupt
 * manifest 65, refused 79, usage 64, configuration 78). Run settings (approvalPolicy, sandbox, network,
 * writableRoots, maxAttempts, otelEndpoint, notify) map to the resume command's flags as in exec.
 * @param {string} run a run id, a resume token or 'latest'
 */
export function resume(run, options = {}) {
  if (typeof run !== 'string' || run.length === 0) {
    return Promise.reject(new TypeError('resume needs a run id, a resume token or "latest"'));
  }
  const argv = ['resume', run, '--format', 'json'];
  const add = adder(argv);
  add('--cwd', options.cwd);
  add('--task', options.task);
  add('--runs-root', options.runsRoot);
  add('--config', options.config);
  settingFlags(argv, options);
  return new Promise((resolve, reject) => {
    const child = spawn(resolveCli(options), argv, {
      cwd: options.spawnCwd,
      env: options.processEnv ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const stdout = [];
    const stderr = [];
    child.stdout.on('data', (chunk) => stdout.push(chunk));
    child.stderr.on('data', (chunk) => stderr.push(chunk));
    child.on('error', (error) => reject(new OrchestratorError(`cannot start ${resolveCli(options)}: ${error.message}`, { cause: error })));
    child.on('close', (code) => {
      const out = Buffer.concat(stdout).toString('utf8').trim();
      const err = Buffer.concat(stderr).toString('utf8');
      if (out.startsWith('{')) {
        try {
          resolve(JSON.parse(out));
          return;
        } catch (error) {
          reject(new OrchestratorError(`unreadable resume result: ${error.message}`, { exitCode: code, stderr: err }));
          return;
        }
      }
      reject(new OrchestratorError(err.trim() || `orchestrator resume exited with ${code}`, { exitCode: code, stderr: err }));
    });
  });
}

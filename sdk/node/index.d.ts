/** One line of `orchestrator exec --jsonl` (schemas/exec-event.json). */
export interface ExecEvent<P = Record<string, unknown>> {
  type:
    | 'run:begin' | 'tool:begin' | 'exec:begin' | 'exec:chunk' | 'exec:retry' | 'exec:end'
    | 'tool:end' | 'approval:decision' | 'session:created' | 'session:disposed' | 'run:summary'
    | (string & {});
  /** ISO 8601 UTC, millisecond precision. */
  timestamp: string;
  runId: string;
  payload: P;
}

export interface ExecChunkPayload {
  execId: string;
  seq: number;
  stream: 'stdout' | 'stderr' | 'pty';
  bytes: number;
  text?: string;
  data?: string;
  encoding?: 'base64';
}

export interface ExecSummary {
  /** The CLI's exit code: the command's own, or one of ExitCodes. */
  exitCode: number | null;
  runId: string;
  taskId: string;
  /** The run's status: succeeded, failed or cancelled. */
  status: 'succeeded' | 'failed' | 'cancelled' | (string & {});
  statusDetail: string | null;
  /** The command's own exit code as recorded (null when it did not run or was killed). */
  commandExitCode: number | null;
  manifestPath: string;
  eventsPath: string | null;
  durationMs: number;
  stderr: string;
}

/** The run settings `exec` and `resume` share; each maps to the CLI flag named (docs/cli.md). */
export interface RunSettings {
  /** --approval-policy. */
  approvalPolicy?: 'untrusted' | 'on-failure' | 'on-request' | 'never';
  /** --sandbox. */
  sandbox?: 'read-only' | 'workspace-write' | 'danger-full-access';
  /** --network true|false. */
  network?: boolean;
  /** Other directories a workspace-write sandbox may write: one --writable-root each (replaces sandbox.writableRoots). */
  writableRoots?: readonly string[];
  /** --max-attempts: attempts in all for a command that fails transiently, an integer 1-20 (the CLI refuses others, exit 64). */
  maxAttempts?: number;
  /** --otel-endpoint: the OTLP base URL the run's traces and metrics go to; 'off' disables. */
  otelEndpoint?: string;
  /** --notify, once per target: an http(s):// webhook or 'command:<program> [args]' (gets the run:summary JSON as its last argument). */
  notify?: string | readonly string[];
}

export interface ExecOptions extends RunSettings {
  /** Path of the orchestrator CLI; default: ORCHESTRATOR_CLI, else `orchestrator` on PATH. */
  cli?: string;
  cwd?: string;
  task?: string;
  runsRoot?: string;
  config?: string;
  /** --request-escalation when true: ask to run outside the sandbox from the start (needs an approval). */
  requestEscalation?: boolean;
  pty?: boolean;
  session?: string;
  /** --columns: terminal width with pty or session, 1-1000 (default 120). */
  columns?: number;
  /** --rows: terminal height with pty or session, 1-1000 (default 40). */
  rows?: number;
  /** Seconds, or a duration such as '30s', '5m'. */
  timeout?: number | string;
  /** --kill-grace: between SIGTERM and SIGKILL on timeout or cancel; seconds as timeout reads them, or a duration such as '500ms' (default 2s; 0 kills at once). */
  killGrace?: number | string;
  /** Variables for the command (passed as --env NAME=value). */
  env?: Record<string, string>;
  /** Bytes of output per command sent as exec:chunk events (0 = unlimited). */
  eventBudget?: number;
  /** --capture-bytes: head and tail bytes of each stream kept in the manifest (default 64 KiB). */
  captureBytes?: number;
  id?: string;
  /** --title: what the manifest (commands[].title) and messages call the command (default: the command line). */
  title?: string;
  /** Aborting cancels the run (SIGINT to the CLI). */
  signal?: AbortSignal;
  /** The CLI process's own environment (default: process.env). */
  processEnv?: NodeJS.ProcessEnv;
  /** The CLI process's working directory (default: this process's). */
  spawnCwd?: string;
}

export declare const ExitCodes: Readonly<{
  usage: 64; verifyFailed: 65; notFound: 66; unavailable: 69; internal: 70; runsRootNotWritable: 73;
  outputClosed: 74; approvalDenied: 77; configuration: 78; resumeRefused: 79; timedOut: 124; cannotExecute: 126;
  commandNotFound: 127; cancelled: 130;
}>;

export declare class OrchestratorError extends Error {
  readonly exitCode: number | null;
  readonly stderr: string;
}

export declare class ExecRun implements AsyncIterable<ExecEvent> {
  readonly pid: number | undefined;
  /** Resolves when the CLI exits; rejects with OrchestratorError when no run was recorded. */
  readonly summary: Promise<ExecSummary>;
  cancel(signal?: NodeJS.Signals): void;
  events(): AsyncGenerator<ExecEvent, void, undefined>;
  [Symbol.asyncIterator](): AsyncGenerator<ExecEvent, void, undefined>;
}

export declare function resolveCli(options?: Pick<ExecOptions, 'cli'>): string;

/** Runs `command args...` through `orchestrator exec --jsonl`. */
export declare function exec(command: string, args?: readonly string[], options?: ExecOptions): ExecRun;

export interface ResumeOptions extends RunSettings, Pick<ExecOptions, 'cli' | 'cwd' | 'task' | 'runsRoot' | 'config' | 'processEnv' | 'spawnCwd'> {}

/** What `orchestrator resume --format json` prints (docs/cli.md#resume). */
export interface PipelineResult {
  taskId: string;
  runId: string;
  pipelineId: string;
  status: 'succeeded' | 'failed' | 'cancelled';
  statusDetail?: string | null;
  exitCode?: number | null;
  cliExitCode: number;
  parentRunId?: string | null;
  resumeToken: string;
  steps: Array<{ id: string; stage: string; status: string; exitCode?: number | null; continueOnError: boolean; detail?: string | null; childRunId?: string | null; succeededInRunId?: string | null }>;
  guardrailStatus?: { recommendation: 'pass' | 'fail' | 'needs-review'; summary: string };
  manifestPath: string;
  eventsPath: string;
}

/** Resumes a failed, cancelled or stale pipeline run (a run id, a resume token or 'latest'). */
export declare function resume(run: string, options?: ResumeOptions): Promise<PipelineResult>;

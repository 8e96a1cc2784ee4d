// Runs against the REAL built CLI: set ORCHESTRATOR_CLI to its path (.ci/run does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resume, ExitCodes, OrchestratorError } from '../index.js';
import { notifyTarget, waitForFile } from '../testing/support.js';

const CONFIG = [
  'sandbox:',
  '  mode: danger-full-access',
  'pipelines:',
  '  checks:',
  '    steps:',
  '      - { id: first, command: "echo first >> steps.log" }',
  '      - { id: gate, command: "test -f fixed" }',
  '',
].join('\n');

let dir;
before(() => {
  assert.ok(process.env.ORCHESTRATOR_CLI, 'set ORCHESTRATOR_CLI to the built orchestrator CLI');
  dir = mkdtempSync(join(tmpdir(), 'orch-node-resume-'));
  writeFileSync(join(dir, 'orchestrator.yaml'), CONFIG);
});
after(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the `checks` pipeline in `workspace`, which fails at its gate step; returns the failed run's id. */
function failedPipelineRun(workspace) {
  try {
    execFileSync(process.env.ORCHESTRATOR_CLI, ['start', 'checks', '--format', 'json'], { cwd: workspace, stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 });
  } catch (error) {
    assert.equal(error.status, 1, error.stderr?.toString());
    return JSON.parse(error.stdout.toString()).runId;
  }
  return assert.fail('the pipeline should have failed');
}

test('resume re-runs only what failed and resolves with the new run', async () => {
  const failedRun = failedPipelineRun(dir);

  writeFileSync(join(dir, 'fixed'), '');
  const result = await resume(failedRun, { cwd: dir, spawnCwd: dir });

  assert.equal(result.status, 'succeeded');
  assert.equal(result.parentRunId, failedRun);
  assert.equal(result.cliExitCode, 0);
  const first = result.steps.find((s) => s.id === 'first');
  assert.equal(first.status, 'skipped');
  assert.equal(first.succeededInRunId, failedRun);
  assert.deepEqual(readFileSync(join(dir, 'steps.log'), 'utf8').trim().split('\n'), ['first']);
});

test('resume of an unknown run rejects with the not-found exit code', async () => {
  await assert.rejects(
    resume('2026-01-01T00-00-00-000Z-deadbeef', { cwd: dir, spawnCwd: dir }),
    (error) => error instanceof OrchestratorError && error.exitCode === ExitCodes.notFound,
  );
});

test('resume passes the run settings to the resumed run and notifies its summary', { timeout: 60_000 }, async (t) => {
  const workspace = mkdtempSync(join(tmpdir(), 'orch-node-resume-settings-'));
  t.after(() => rmSync(workspace, { recursive: true, force: true }));
  writeFileSync(join(workspace, 'orchestrator.yaml'), CONFIG);
  const writable = join(workspace, 'extra');
  mkdirSync(writable);
  const failedRun = failedPipelineRun(workspace);
  writeFileSync(join(workspace, 'fixed'), '');

  const notify = notifyTarget(workspace, 'notify');
  const result = await resume(failedRun, {
    cwd: workspace, spawnCwd: workspace,
    approvalPolicy: 'never', sandbox: 'workspace-write', network: false, writableRoots: [writable],
    maxAttempts: 2, otelEndpoint: 'off', notify: notify.target,
  });
  assert.equal(result.status, 'succeeded');
  assert.equal(result.parentRunId, failedRun);

  const event = JSON.parse(await waitForFile(notify.out));
  assert.equal(event.type, 'run:summary');
  assert.equal(event.runId, result.runId);
  assert.equal(event.payload.status, 'succeeded');

  const manifest = JSON.parse(readFileSync(result.manifestPath, 'utf8'));
  for (const name of ['approvalPolicy', 'sandbox.mode', 'sandbox.network', 'sandbox.writableRoots', 'retries.maxAttempts', 'notify', 'telemetry.endpoint']) {
    assert.equal(manifest.settingSources[name], 'explicit', name);
  }
  assert.equal(manifest.sandbox.mode, 'workspace-write');
  assert.equal(manifest.sandbox.networkAccess, false);
  assert.deepEqual(manifest.sandbox.writableRoots, [writable]);
  assert.equal(manifest.telemetry.enabled, false);
  assert.equal(manifest.telemetry.source, 'cli');
  assert.equal(manifest.notifications.source, 'cli');
  assert.deepEqual(manifest.notifications.deliveries.map((d) => [d.kind, d.delivered]), [['command', true]]);
});

test('resume accepts the run settings: a task without a pipeline run is not found (66), not a usage error', { timeout: 60_000 }, async (t) => {
  const workspace = mkdtempSync(join(tmpdir(), 'orch-node-resume-none-'));
  t.after(() => rmSync(workspace, { recursive: true, force: true }));
  const notify = notifyTarget(workspace, 'notify');
  await assert.rejects(
    resume('latest', {
      cwd: workspace, spawnCwd: workspace, task: 'no-pipeline-runs',
      approvalPolicy: 'never', sandbox: 'read-only', network: true, writableRoots: [workspace],
      maxAttempts: 3, otelEndpoint: 'off', notify: [notify.target],
    }),
    (error) => {
      assert.ok(error instanceof OrchestratorError);
      assert.equal(error.exitCode, ExitCodes.notFound, error.stderr);
      return true;
    },
  );
  assert.equal(existsSync(notify.out), false);
});

test('resume with a bad maxAttempts is a usage error (64)', { timeout: 60_000 }, async () => {
  await assert.rejects(
    resume('latest', { cwd: dir, spawnCwd: dir, maxAttempts: 0 }),
    (error) => error instanceof OrchestratorError && error.exitCode === ExitCodes.usage && /--max-attempts/.test(error.stderr),
  );
});

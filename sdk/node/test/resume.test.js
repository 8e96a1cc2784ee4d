// Runs against the REAL built CLI: set ORCHESTRATOR_CLI to its path (.ci/run does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resume, ExitCodes, OrchestratorError } from '../index.js';

let dir;
before(() => {
  assert.ok(process.env.ORCHESTRATOR_CLI, 'set ORCHESTRATOR_CLI to the built orchestrator CLI');
  dir = mkdtempSync(join(tmpdir(), 'orch-node-resume-'));
  writeFileSync(join(dir, 'orchestrator.yaml'), [
    'sandbox:',
    '  mode: danger-full-access',
    'pipelines:',
    '  checks:',
    '    steps:',
    '      - { id: first, command: "echo first >> steps.log" }',
    '      - { id: gate, command: "test -f fixed" }',
    '',
  ].join('\n'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('resume re-runs only what failed and resolves with the new run', async () => {
  let failedRun;
  try {
    execFileSync(process.env.ORCHESTRATOR_CLI, ['start', 'checks', '--format', 'json'], { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
    assert.fail('the pipeline should have failed');
  } catch (error) {
    assert.equal(error.status, 1);
    failedRun = JSON.parse(error.stdout.toString()).runId;
  }

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

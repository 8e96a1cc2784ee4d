// The run settings of exec (writableRoots, maxAttempts, requestEscalation, killGrace, title,
// captureBytes, columns/rows, otelEndpoint, notify) against the REAL built CLI: set ORCHESTRATOR_CLI
// to its path (.ci/run does). Each is proven from the recorded run (manifest.json) or its effect.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createServer } from 'node:http';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, ExitCodes, OrchestratorError } from '../index.js';
import { notifyTarget, waitForFile } from '../testing/support.js';

const TIMEOUT = { timeout: 60_000 };

let dir;
before(() => {
  assert.ok(process.env.ORCHESTRATOR_CLI, 'set ORCHESTRATOR_CLI to the built orchestrator CLI');
  assert.ok(existsSync(process.env.ORCHESTRATOR_CLI), `${process.env.ORCHESTRATOR_CLI} does not exist`);
  dir = mkdtempSync(join(tmpdir(), 'orch-node-options-'));
  mkdirSync(join(dir, 'work'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const base = () => ({ runsRoot: join(dir, 'runs'), cwd: join(dir, 'work'), task: 'node-sdk-options' });
const manifestOf = (summary) => JSON.parse(readFileSync(summary.manifestPath, 'utf8'));

test('writableRoots, maxAttempts, title and captureBytes reach the run', TIMEOUT, async () => {
  const roots = [join(dir, 'root-a'), join(dir, 'root-b')];
  for (const root of roots) mkdirSync(root);
  const config = join(dir, 'retries.yaml');
  // Exit code 75 is transient here, so only maxAttempts bounds the attempts (the default is 3).
  writeFileSync(config, 'retries:\n  initialDelayMs: 0\n  transientExitCodes: [75]\n');

  const run = exec('sh', ['-c', `echo written > '${roots[0]}/file'; exit 75`], {
    ...base(), config, sandbox: 'workspace-write', writableRoots: roots, maxAttempts: 2,
    title: 'node sdk: titled command', captureBytes: 4096,
  });
  const summary = await run.summary;
  assert.equal(summary.exitCode, 75);

  const manifest = manifestOf(summary);
  assert.equal(manifest.settingSources['sandbox.writableRoots'], 'explicit');
  assert.equal(manifest.settingSources['retries.maxAttempts'], 'explicit');
  assert.equal(manifest.settingSources['output.captureBytes'], 'explicit');
  assert.equal(manifest.sandbox.mode, 'workspace-write');
  assert.deepEqual(manifest.sandbox.writableRoots, roots);
  assert.equal(manifest.toolRuns.length, 1);
  assert.equal(manifest.toolRuns[0].attemptCount, 2);
  assert.equal(manifest.commands.length, 2);
  for (const command of manifest.commands) assert.equal(command.title, 'node sdk: titled command');
  assert.equal(readFileSync(join(roots[0], 'file'), 'utf8'), 'written\n');
});

test('notify delivers the run:summary to each command target', TIMEOUT, async () => {
  const first = notifyTarget(dir, 'notify-first');
  const second = notifyTarget(dir, 'notify-second');
  const summary = await exec('sh', ['-c', 'echo notified'], { ...base(), notify: [first.target, second.target] }).summary;
  assert.equal(summary.exitCode, 0);

  for (const { out } of [first, second]) {
    const event = JSON.parse(await waitForFile(out));
    assert.equal(event.type, 'run:summary');
    assert.equal(event.runId, summary.runId);
    assert.equal(event.payload.status, 'succeeded');
    assert.equal(event.payload.manifestPath, summary.manifestPath);
  }
  const { notifications, settingSources } = manifestOf(summary);
  assert.equal(settingSources.notify, 'explicit');
  assert.equal(notifications.source, 'cli');
  assert.equal(notifications.targets.length, 2);
  assert.deepEqual(notifications.deliveries.map((d) => [d.kind, d.delivered]), [['command', true], ['command', true]]);
});

test('otelEndpoint sends the run\'s telemetry to that OTLP endpoint', TIMEOUT, async () => {
  const posts = [];
  const server = createServer((request, response) => {
    const chunks = [];
    request.on('data', (chunk) => chunks.push(chunk));
    request.on('end', () => {
      posts.push({ method: request.method, url: request.url, type: request.headers['content-type'], bytes: Buffer.concat(chunks).length });
      // An empty ExportTrace/MetricsServiceResponse is zero protobuf bytes.
      response.writeHead(200, { 'content-type': 'application/x-protobuf' }).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const endpoint = `http://127.0.0.1:${server.address().port}`;
    const summary = await exec('sh', ['-c', 'echo traced'], { ...base(), otelEndpoint: endpoint }).summary;
    assert.equal(summary.exitCode, 0);

    assert.ok(posts.length >= 1, 'the endpoint received no request');
    assert.ok(posts.every((p) => p.method === 'POST'));
    assert.ok(posts.some((p) => p.url === '/v1/traces' && p.bytes > 0), JSON.stringify(posts));
    const { telemetry, settingSources } = manifestOf(summary);
    assert.equal(settingSources['telemetry.endpoint'], 'explicit');
    assert.equal(telemetry.enabled, true);
    assert.equal(telemetry.source, 'cli');
    assert.equal(telemetry.protocol, 'http/protobuf');
    assert.ok(telemetry.spansExported >= 1);
  } finally {
    server.close();
    server.closeAllConnections();
  }
});

test('columns and rows size the pseudo-terminal', TIMEOUT, async () => {
  const run = exec('stty', ['size'], { ...base(), pty: true, columns: 77, rows: 23 });
  let text = '';
  for await (const event of run) if (event.type === 'exec:chunk') text += event.payload.text ?? '';
  const summary = await run.summary;
  assert.equal(summary.exitCode, 0);
  assert.equal(text.trim(), '23 77');
  assert.deepEqual(manifestOf(summary).commands[0].terminal, { columns: 77, rows: 23 });
});

test('killGrace is the time between SIGTERM and SIGKILL (a number is seconds, as for timeout)', TIMEOUT, async () => {
  // Outside the sandbox (bwrap itself obeys SIGTERM), so the group that ignores SIGTERM needs SIGKILL.
  const options = { ...base(), sandbox: 'danger-full-access' };
  const summary = await exec('sh', ['-c', "trap '' TERM; sleep 30"], { ...options, timeout: 0.3, killGrace: 0.25 }).summary;
  assert.equal(summary.exitCode, ExitCodes.timedOut);
  const { termination } = manifestOf(summary).commands[0];
  assert.equal(termination.reason, 'timeout');
  assert.equal(termination.gracePeriodMs, 250);
  assert.deepEqual(termination.signals, ['SIGTERM', 'SIGKILL']);
  assert.equal(termination.forced, true);

  const asString = await exec('sh', ['-c', "trap '' TERM; sleep 30"], { ...options, timeout: '300ms', killGrace: '100ms' }).summary;
  assert.equal(manifestOf(asString).commands[0].termination.gracePeriodMs, 100);
});

test('requestEscalation asks to run outside the sandbox from the start', TIMEOUT, async () => {
  // No approval rule and no terminal: the escalation is denied and the command never runs.
  const marker = join(dir, 'escalated-ran');
  const summary = await exec('sh', ['-c', `touch '${marker}'`], { ...base(), requestEscalation: true }).summary;
  assert.equal(summary.exitCode, ExitCodes.approvalDenied);
  assert.equal(summary.status, 'failed');
  assert.match(summary.statusDetail, /asked to run outside the sandbox/);
  assert.equal(existsSync(marker), false);
});

test('bad values are refused by the CLI with the usage exit code before a run is recorded', TIMEOUT, async () => {
  for (const [options, flag] of [
    [{ maxAttempts: 0 }, /--max-attempts/],
    [{ maxAttempts: 21 }, /--max-attempts/],
    [{ pty: true, columns: 1001 }, /--columns/],
    [{ pty: true, rows: 0 }, /--rows/],
    [{ killGrace: 'soon' }, /--kill-grace/],
  ]) {
    await assert.rejects(exec('true', [], { ...base(), ...options }).summary, (error) => {
      assert.ok(error instanceof OrchestratorError);
      assert.equal(error.exitCode, ExitCodes.usage, `${JSON.stringify(options)}: ${error.stderr}`);
      assert.match(error.stderr, flag);
      return true;
    });
  }
  // An invalid notification target is a configuration error (78), before anything runs.
  await assert.rejects(exec('true', [], { ...base(), notify: 'slack://builds' }).summary, (error) => {
    assert.ok(error instanceof OrchestratorError);
    assert.equal(error.exitCode, ExitCodes.configuration);
    assert.match(error.stderr, /slack:\/\/builds/);
    return true;
  });
});

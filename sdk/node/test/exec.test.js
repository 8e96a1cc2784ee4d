// Runs against the REAL built CLI: set ORCHESTRATOR_CLI to its path (.ci/run does).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, ExitCodes, OrchestratorError, resolveCli } from '../index.js';

let dir;
before(() => {
  assert.ok(process.env.ORCHESTRATOR_CLI, 'set ORCHESTRATOR_CLI to the built orchestrator CLI');
  assert.ok(existsSync(process.env.ORCHESTRATOR_CLI), `${process.env.ORCHESTRATOR_CLI} does not exist`);
  dir = mkdtempSync(join(tmpdir(), 'orch-node-'));
});
after(() => rmSync(dir, { recursive: true, force: true }));

const base = () => ({ runsRoot: join(dir, 'runs'), cwd: dir, task: 'node-sdk' });

function assertEventShape(event) {
  assert.equal(typeof event.type, 'string');
  assert.match(event.timestamp, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  assert.equal(typeof event.runId, 'string');
  assert.equal(typeof event.payload, 'object');
}

test('streams the events of a run and resolves the summary with the exit code', async () => {
  const run = exec('sh', ['-c', 'echo out; echo err >&2; exit 3'], base());
  const events = [];
  for await (const event of run) {
    assertEventShape(event);
    events.push(event);
  }
  const summary = await run.summary;

  assert.equal(events[0].type, 'run:begin');
  assert.equal(events.at(-1).type, 'run:summary');
  const texts = events.filter((e) => e.type === 'exec:chunk').map((e) => e.payload.text).sort();
  assert.deepEqual(texts, ['err\n', 'out\n']);
  assert.equal(summary.exitCode, 3);
  assert.equal(summary.commandExitCode, 3);
  assert.equal(summary.status, 'failed');
  assert.equal(summary.runId, events[0].runId);
  assert.ok(summary.manifestPath.startsWith(join(dir, 'runs', 'node-sdk', 'cli')));

  // The events file holds exactly what was streamed.
  const recorded = readFileSync(summary.eventsPath, 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.deepEqual(recorded, events);
});

test('events arrive while the command is still running', async () => {
  const gate = join(dir, 'gate');
  const run = exec('sh', ['-c', `echo before; while [ ! -e '${gate}' ]; do sleep 0.05; done; echo after`],
    { ...base(), sandbox: 'danger-full-access' });
  const texts = [];
  for await (const event of run) {
    if (event.type !== 'exec:chunk') continue;
    texts.push(event.payload.text);
    // The command cannot finish before this loop has seen its first line.
    if (event.payload.text === 'before\n') writeFileSync(gate, 'go');
  }
  assert.deepEqual(texts, ['before\n', 'after\n']);
  assert.equal((await run.summary).exitCode, 0);
});

test('the summary alone resolves without iterating, however much output there is', async () => {
  const run = exec('sh', ['-c', 'seq 1 200000'], { ...base(), eventBudget: 0 });
  const summary = await run.summary;
  assert.equal(summary.exitCode, 0);
  assert.equal(summary.status, 'succeeded');
});

test('env, timeout and the CLI path are passed through', async () => {
  assert.equal(resolveCli({ cli: '/x/orchestrator' }), '/x/orchestrator');
  assert.equal(resolveCli(), process.env.ORCHESTRATOR_CLI);

  const run = exec('sh', ['-c', 'echo "$NODE_SDK_VALUE"'], { ...base(), env: { NODE_SDK_VALUE: 'a=b c' }, timeout: '30s' });
  const texts = [];
  for await (const event of run) if (event.type === 'exec:chunk') texts.push(event.payload.text);
  assert.deepEqual(texts, ['a=b c\n']);

  const slow = exec('sleep', ['30'], { ...base(), timeout: 0.3 });
  const summary = await slow.summary;
  assert.equal(summary.exitCode, ExitCodes.timedOut);
});

test('aborting cancels the command and the run is recorded as cancelled', async () => {
  const controller = new AbortController();
  const run = exec('sh', ['-c', 'echo started; sleep 300'], { ...base(), signal: controller.signal });
  for await (const event of run) {
    if (event.type === 'exec:chunk') controller.abort();
  }
  const summary = await run.summary;
  assert.equal(summary.exitCode, ExitCodes.cancelled);
  assert.equal(summary.status, 'cancelled');
  const manifest = JSON.parse(readFileSync(summary.manifestPath, 'utf8'));
  assert.equal(manifest.status, 'cancelled');
});

test('leaving the loop early cancels the command', async () => {
  const run = exec('sh', ['-c', 'echo started; sleep 300'], base());
  for await (const event of run) {
    if (event.type === 'exec:chunk') break;
  }
  const summary = await run.summary;
  assert.equal(summary.status, 'cancelled');
});

test('a usage error rejects with the documented exit code and the message', async () => {
  const run = exec('true', [], { ...base(), timeout: 'abc' });
  await assert.rejects(run.summary, (error) => {
    assert.ok(error instanceof OrchestratorError);
    assert.equal(error.exitCode, ExitCodes.usage);
    // Worded as every door words it (MessageCatalogue), with the flag as the parameter.
    assert.match(error.stderr, /error ORCH0006: Invalid value "abc" for parameter --timeout/);
    return true;
  });
  const events = [];
  await assert.rejects(async () => {
    for await (const event of exec('true', [], { ...base(), env: { '': 'x' } })) events.push(event);
  }, OrchestratorError);
  assert.deepEqual(events, []);
});

test('a CLI that cannot be found rejects with a clear error', async () => {
  const run = exec('true', [], { ...base(), cli: join(dir, 'no-such-orchestrator') });
  await assert.rejects(run.summary, (error) => {
    assert.ok(error instanceof OrchestratorError);
    assert.match(error.message, /cannot start .*no-such-orchestrator/);
    return true;
  });
});

// Helpers the SDK's tests share; outside test/ so node --test does not run it as a test file.
import assert from 'node:assert/strict';
import { writeFileSync, readFileSync, existsSync, chmodSync } from 'node:fs';
import { setTimeout as delay } from 'node:timers/promises';
import { join } from 'node:path';

/** A `command:` notification target in `folder`: a script that writes its last argument (the run:summary JSON) to `out`. */
export function notifyTarget(folder, name) {
  const script = join(folder, `${name}.sh`);
  const out = join(folder, `${name}.json`);
  writeFileSync(script, '#!/bin/sh\nout="$1"\nfor last; do :; done\nprintf \'%s\' "$last" > "$out"\n');
  chmodSync(script, 0o755);
  return { target: `command:${script} ${out}`, out };
}

/** The contents of `path` once something was written there, or a failure after `ms`. */
export async function waitForFile(path, ms = 10_000) {
  for (const end = Date.now() + ms; Date.now() < end; await delay(50)) {
    if (existsSync(path) && readFileSync(path, 'utf8').length > 0) return readFileSync(path, 'utf8');
  }
  return assert.fail(`${path} was not written within ${ms} ms`);
}

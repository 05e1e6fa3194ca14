/**
 * Finds the Temporal CLI, building it with Go when it is missing.
 * Order: TEMPORAL_CLI, then PATH, then Go's bin folder; otherwise `go install` when Go is there.
 * Returns null when none of that works: callers then fall back to the SDK's download.
 * Run directly (`npm run temporal:cli`) it prints the path, building the binary if needed.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

/** True when `file` exists and this process may run it. */
export function isExecutable(file: string): boolean {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/** The first executable `name` on PATH, or null. */
export function onPath(name: string): string | null {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (dir && isExecutable(path.join(dir, name))) return path.join(dir, name);
  }
  return null;
}

function goBinDir(go: string): string {
  const gobin = execFileSync(go, ['env', 'GOBIN'], { encoding: 'utf8' }).trim();
  if (gobin) return gobin;
  const gopath =
    execFileSync(go, ['env', 'GOPATH'], { encoding: 'utf8' }).trim() || path.join(os.homedir(), 'go');
  return path.join(gopath.split(path.delimiter)[0], 'bin');
}

function findGo(): string | null {
  return onPath('go') ?? (isExecutable('/usr/local/go/bin/go') ? '/usr/local/go/bin/go' : null);
}

/** The Temporal CLI's path, without building anything. */
export function locateTemporalCli(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TEMPORAL_CLI) {
    if (!isExecutable(env.TEMPORAL_CLI))
      throw new Error(`TEMPORAL_CLI=${env.TEMPORAL_CLI} is not an executable file`);
    return env.TEMPORAL_CLI;
  }
  const found = onPath('temporal');
  if (found) return found;
  const go = findGo();
  const candidates = [path.join(os.homedir(), 'go', 'bin', 'temporal')];
  if (go) candidates.unshift(path.join(goBinDir(go), 'temporal'));
  return candidates.find(isExecutable) ?? null;
}

/** The Temporal CLI's path, building it once with `go install` when it is missing and Go is there. */
export function ensureTemporalCli(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): string | null {
  const existing = locateTemporalCli();
  if (existing) return existing;
  const go = findGo();
  if (!go) {
    log(
      'Temporal CLI not found and Go is not installed. Install the CLI (https://docs.temporal.io/cli) and set TEMPORAL_CLI, ' +
        `or install Go and rerun; falling back to the Temporal SDK's download, which needs internet access.`,
    );
    return null;
  }
  log(`Temporal CLI not found: building it once with go install ${TEMPORAL_CLI_MODULE} (a few minutes)…`);
  const result = spawnSync(go, ['install', TEMPORAL_CLI_MODULE], { stdio: ['ignore', 'inherit', 'inherit'] });
  if (result.status !== 0) {
    log(`go install failed (exit ${result.status}); falling back to the Temporal SDK's download.`);
    return null;
  }
  const built = path.join(goBinDir(go), 'temporal');
  if (!isExecutable(built)) throw new Error(`go install succeeded but ${built} is missing`);
  log(`Temporal CLI built: ${built}`);
  return built;
}

if (require.main === module) {
  const cli = ensureTemporalCli();
  if (!cli) process.exit(1);
  process.stdout.write(`${cli}\n`);
}

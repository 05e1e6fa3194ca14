/**
 * Finds Temporal's time-skipping test server (the Java SDK's `temporal-test-server`), building a launcher
 * for it when it is missing: what `TestWorkflowEnvironment.createTimeSkipping` runs instead of downloading
 * the prebuilt binary. Order: TEMPORAL_TEST_SERVER, then the launcher cached under `.data/`; otherwise Maven
 * resolves the pinned artifact's classpath once, one start of the server archives the classes it loads, and a
 * two-line shell script runs it with java.
 * Run directly (`npx tsx scripts/temporal-test-server.ts`) it prints the path, building the launcher if needed.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { freePort } from './free-port';
import { isExecutable, onPath } from './temporal-cli';

export const TEMPORAL_TEST_SERVER_VERSION = '1.38.0';

const MAIN_CLASS = 'io.temporal.testserver.TestServer';
/** One GC thread (the server is small and test machines are shared); no JVM log lines in the test output. */
const JVM_FLAGS = ['-XX:+UseSerialGC', '-Xlog:disable'];
const INSTALL_HINT = 'On Debian: apt-get install default-jre-headless maven';

function shellQuote(word: string): string {
  return `'${word.replaceAll("'", `'\\''`)}'`;
}

/** Where this version's pom, classpath and launcher are kept (`.data/` is gitignored). */
function cacheDir(): string {
  return path.join(__dirname, '..', '.data', `temporal-test-server-${TEMPORAL_TEST_SERVER_VERSION}`);
}

/** A launcher whose jars are all still in the Maven repository (it may have been cleaned since). */
function cachedLauncher(): string | null {
  const launcher = path.join(cacheDir(), 'temporal-test-server');
  const classpathFile = path.join(cacheDir(), 'classpath.txt');
  if (!isExecutable(launcher) || !existsSync(classpathFile)) return null;
  const jars = readFileSync(classpathFile, 'utf8').trim().split(path.delimiter);
  return jars.length > 0 && jars.every((jar) => existsSync(jar)) ? launcher : null;
}

/** The test server's path, without building anything. */
export function locateTemporalTestServer(env: NodeJS.ProcessEnv = process.env): string | null {
  if (env.TEMPORAL_TEST_SERVER) {
    if (!isExecutable(env.TEMPORAL_TEST_SERVER))
      throw new Error(`TEMPORAL_TEST_SERVER=${env.TEMPORAL_TEST_SERVER} is not an executable file`);
    return env.TEMPORAL_TEST_SERVER;
  }
  return cachedLauncher();
}

function pom(): string {
  return `<project xmlns="http://maven.apache.org/POM/4.0.0">
  <modelVersion>4.0.0</modelVersion>
  <groupId>docket.local</groupId>
  <artifactId>temporal-test-server-launcher</artifactId>
  <version>0</version>
  <packaging>pom</packaging>
  <dependencies>
    <dependency>
      <groupId>io.temporal</groupId>
      <artifactId>temporal-test-server</artifactId>
      <version>${TEMPORAL_TEST_SERVER_VERSION}</version>
    </dependency>
    <!-- The server logs through SLF4J; without a binding it warns about that on every start. -->
    <dependency>
      <groupId>org.slf4j</groupId>
      <artifactId>slf4j-nop</artifactId>
      <version>1.7.36</version>
    </dependency>
  </dependencies>
  <build>
    <plugins>
      <plugin>
        <groupId>org.apache.maven.plugins</groupId>
        <artifactId>maven-dependency-plugin</artifactId>
        <version>3.8.1</version>
      </plugin>
    </plugins>
  </build>
</project>
`;
}

/**
 * The test server's path, building the launcher once when it is missing: Maven fetches the pinned
 * artifact and writes its runtime classpath, and the launcher `exec`s java on it, so that the SDK's
 * kill at teardown reaches the JVM itself. The SDK passes the port, then any `extraArgs`.
 */
export async function ensureTemporalTestServer(
  log: (line: string) => void = (l) => process.stderr.write(`${l}\n`),
): Promise<string> {
  const existing = locateTemporalTestServer();
  if (existing) return existing;
  const javaHome = process.env.JAVA_HOME && path.join(process.env.JAVA_HOME, 'bin', 'java');
  const java = javaHome && isExecutable(javaHome) ? javaHome : onPath('java');
  const mvn = onPath('mvn');
  if (!java || !mvn) {
    const missing = [!java && 'java', !mvn && 'mvn'].filter(Boolean).join(' and ');
    throw new Error(
      `Temporal's time-skipping test server runs on Java and is fetched with Maven, and ${missing} ` +
        `cannot be found. ${INSTALL_HINT} (or set TEMPORAL_TEST_SERVER to a test server executable).`,
    );
  }
  const dir = cacheDir();
  mkdirSync(dir, { recursive: true });
  log(`Temporal test server ${TEMPORAL_TEST_SERVER_VERSION}: resolving its classpath with Maven, once…`);
  const classpath = resolveClasspath(mvn, dir);
  const archive = await archiveClasses(java, classpath, dir);
  const flags = [...JVM_FLAGS, ...(archive ? [`-XX:SharedArchiveFile=${archive}`] : [])];
  const launcher = path.join(dir, 'temporal-test-server');
  // Written aside and renamed, so that a test starting it meanwhile never runs half a script.
  writeFileSync(
    `${launcher}.tmp`,
    `#!/bin/sh\nexec ${[java, ...flags, '-cp', classpath, MAIN_CLASS].map(shellQuote).join(' ')} "$@"\n`,
    { mode: 0o755 },
  );
  renameSync(`${launcher}.tmp`, launcher);
  log(
    `Temporal test server launcher: ${launcher}${archive ? '' : ' (no class archive: starts take longer)'}`,
  );
  return launcher;
}

/** `mvn dependency:build-classpath` on a generated pom: the artifact's runtime jars, fetched if needed. */
function resolveClasspath(mvn: string, dir: string): string {
  writeFileSync(path.join(dir, 'pom.xml'), pom());
  const classpathFile = path.join(dir, 'classpath.txt');
  const result = spawnSync(
    mvn,
    [
      '-q',
      '-B',
      '-f',
      path.join(dir, 'pom.xml'),
      'dependency:build-classpath',
      '-Dmdep.includeScope=runtime',
      `-Dmdep.outputFile=${classpathFile}`,
    ],
    // Maven's output goes to stderr: stdout is the launcher's path alone, for `$(…)` in shell scripts.
    { stdio: ['ignore', 2, 2] },
  );
  if (result.status !== 0 || !existsSync(classpathFile)) {
    throw new Error(`mvn dependency:build-classpath failed (exit ${result.status}); see its output above`);
  }
  return readFileSync(classpathFile, 'utf8').trim();
}

/**
 * Starts the server once and keeps the classes it loaded in a CDS archive, which brings a start from about
 * three seconds to one on a busy 2-core machine: the SDK gives the server five to listen. Best effort
 * (the JVM may be older than 13): without the archive the server starts as before.
 */
async function archiveClasses(java: string, classpath: string, dir: string): Promise<string | null> {
  const archive = path.join(dir, 'classes.jsa');
  const port = await freePort();
  const server = spawn(
    java,
    [...JVM_FLAGS, `-XX:ArchiveClassesAtExit=${archive}`, '-cp', classpath, MAIN_CLASS, String(port)],
    { stdio: 'ignore' },
  );
  let running = true;
  const exited = new Promise<void>((resolve) => {
    server.once('error', resolve);
    server.once('exit', () => resolve());
  }).then(() => void (running = false));
  const deadline = Date.now() + 60_000;
  let listening = false;
  while (running && !listening && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    listening = await accepts(port);
  }
  // The JVM writes the archive as it exits: SIGTERM runs its shutdown.
  server.kill('SIGTERM');
  await exited;
  return listening && existsSync(archive) ? archive : null;
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

if (require.main === module) {
  ensureTemporalTestServer().then(
    (launcher) => process.stdout.write(`${launcher}\n`),
    (err: Error) => {
      process.stderr.write(`${err.message}\n`);
      process.exit(1);
    },
  );
}

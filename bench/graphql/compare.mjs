// Measures graphql-js 16 and graphql_bench on the same schema, queries, data and variables
// in one run, checks that both produce the same responses, and prints a Markdown table.
//
// Usage: node compare.mjs GRAPHQL_BENCH [SECONDS]
//        node compare.mjs --write-cases DIR
// SECONDS is the measuring time per case and engine (default 3), split into REPETITIONS
// windows (environment, default 5). The two engines take turns: each graphql_bench window
// is followed at once by a graphql-js window of the same case, and each ratio is the median
// of the ratios of these pairs. The speed of the shared virtual machine in
// docs/benchmarks.md drifts within seconds, so two windows far apart in time would compare
// two different machines. Each
// other figure is the median of the windows, so that one window disturbed by other work
// does not decide it. --write-cases only writes the cases for graphql_bench to DIR, for
// profiling it alone.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const { buildSchema, getIntrospectionQuery, graphqlSync, version } = require('graphql');

const [bench, secondsArgument] = process.argv.slice(2);
if (!bench || (bench === '--write-cases' && !secondsArgument)) {
  console.error('usage: node compare.mjs GRAPHQL_BENCH [SECONDS] | --write-cases DIR');
  process.exit(2);
}
const seconds = Number(secondsArgument ?? 3);
const repetitions = Number(process.env.REPETITIONS ?? 5);
const badSettings = !(seconds > 0) || !Number.isInteger(repetitions) || repetitions < 1;
if (bench !== '--write-cases' && badSettings) {
  console.error(`compare.mjs: SECONDS must be positive (got ${secondsArgument}) and ` +
    `REPETITIONS a whole number of at least 1 (got ${process.env.REPETITIONS})`);
  process.exit(2);
}
const window = seconds / repetitions;
const median = (values) => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
};
const here = dirname(fileURLToPath(import.meta.url));
const read = (name) => readFileSync(join(here, name), 'utf8');

// Deterministic data, written to files for graphql_bench, so both engines read the same.
const categories = ['BREAD', 'PRODUCE', 'DAIRY', 'MEALS'];
const shop = {
  id: 's1',
  name: 'Corner Bakery',
  city: 'Lyon',
  rating: 4.6,
  open: true,
  tags: ['bread', 'pastry', 'organic'],
  owner: { id: 'u1', name: 'Ana', email: 'ana@example.com', role: 'SELLER' },
  address: { street: '3 rue Neuve', city: 'Lyon', zip: '69002' },
};
const offer = (i) => ({
  id: `o${i}`,
  title: `Surplus box ${i}`,
  price: (i % 40) + 0.5,
  quantity: (i % 7) + 1,
  expires: '2026-12-04T18:00:00Z',
  category: categories[i % 4],
  shop,
});
const cases = {
  dashboard: {
    source: read('dashboard.graphql'),
    root: {
      shop,
      me: { id: 'u2', name: 'Bo', email: 'bo@example.com', role: 'BUYER' },
      offers: [0, 1, 2].map(offer),
    },
    variables: { shopId: 's1' },
  },
  introspection: { source: getIntrospectionQuery(), root: {}, variables: {} },
  list: { source: read('list.graphql'), root: { offers: [...Array(1000).keys()].map(offer) }, variables: {} },
};

const writeOnly = bench === '--write-cases';
const scratch = writeOnly ? secondsArgument : mkdtempSync(join(os.tmpdir(), 'graphql-bench-'));
const sdl = read('schema.graphql');
writeFileSync(join(scratch, 'schema.graphql'), sdl);
for (const [name, { source, root, variables }] of Object.entries(cases)) {
  writeFileSync(join(scratch, `${name}.graphql`), source);
  writeFileSync(join(scratch, `${name}.root.json`), JSON.stringify(root));
  writeFileSync(join(scratch, `${name}.variables.json`), JSON.stringify(variables));
}
if (writeOnly) {
  process.exit(0);
}

// Both engines must give the same response before their speed means anything. The
// descriptions of introspection types and built-in scalars differ by design.
const schema = buildSchema(sdl);
const run = ({ source, root, variables }) =>
  graphqlSync({ schema, source, rootValue: root, variableValues: variables });
const withoutDescriptions = (value) =>
  JSON.parse(JSON.stringify(value, (key, item) => (key === 'description' ? undefined : item)));
const ours = JSON.parse(execFileSync(bench, [scratch, '--responses'], { maxBuffer: 1 << 26 }));
for (const [name, testCase] of Object.entries(cases)) {
  const theirs = run(testCase);
  if (theirs.errors) {
    throw new Error(`graphql-js failed on ${name}: ${JSON.stringify(theirs.errors)}`);
  }
  if (JSON.stringify(withoutDescriptions(theirs)) !== JSON.stringify(withoutDescriptions(ours[name]))) {
    throw new Error(`the responses to ${name} differ between graphql-js and graphql_bench`);
  }
}

// graphql-js: one window of `testCase`, after warming up for a second the first time.
const warmedUp = new Set();
function measureJs(testCase) {
  const until = (deadline, body) => {
    let count = 0;
    while (process.hrtime.bigint() < deadline) {
      body();
      count += 1;
    }
    return count;
  };
  if (!warmedUp.has(testCase)) {
    until(process.hrtime.bigint() + 1_000_000_000n, () => run(testCase));
    warmedUp.add(testCase);
  }
  const cpuStart = process.cpuUsage();
  const start = process.hrtime.bigint();
  const count = until(start + BigInt(Math.round(window * 1e9)), () => run(testCase));
  const elapsed = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage(cpuStart);
  // CPU time of the whole process, which includes garbage collection on other threads.
  return { rate: count / elapsed, cpuMicros: (cpu.user + cpu.system) / count };
}

// graphql_bench: one window of the case `name` in a new process, after the same one-second
// warm-up as graphql-js gets. Operations per second from wall-clock time, as for
// graphql-js, and CPU microseconds per operation, which other load distorts less.
function measureOurs(name) {
  const output = JSON.parse(
    execFileSync(
      bench,
      [
        scratch,
        '--benchmark_min_warmup_time=1',
        `--benchmark_min_time=${window}`,
        '--benchmark_format=json',
        `--benchmark_filter=^${name}$`,
      ],
      { maxBuffer: 1 << 26 },
    ),
  );
  const [entry] = output.benchmarks;
  const perSecond = { ns: 1e9, us: 1e6, ms: 1e3, s: 1 }[entry.time_unit];
  return { rate: perSecond / entry.real_time, cpuMicros: (entry.cpu_time * 1e6) / perSecond };
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
console.log(`graphql-js ${version} on Node ${process.version}; graphql_bench; ${os.cpus().length} x ${cpu}`);
console.log(`load average before measuring: ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
console.log(`${repetitions} pairs of windows of ${window.toFixed(2)} s per case, one per engine; ` +
  'each figure is the median over the pairs');
console.log('');
// The wall-clock ratio suffers when other processes share the cores; the CPU ratio, from
// CPU time per operation on both sides, suffers less.
console.log(
  '| case | graphql-js ops/s | Surplus ops/s | ratio | Surplus µs/op | graphql-js CPU µs/op | Surplus CPU µs/op | CPU ratio |',
);
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const [name, testCase] of Object.entries(cases)) {
  const pairs = [];
  for (let i = 0; i < repetitions; i += 1) {
    const ours = measureOurs(name);
    pairs.push({ ours, theirs: measureJs(testCase) });
  }
  const middle = (pick) => median(pairs.map(pick));
  const ourRate = middle((pair) => pair.ours.rate);
  const cells = [
    name,
    middle((pair) => pair.theirs.rate).toFixed(0),
    ourRate.toFixed(0),
    `${middle((pair) => pair.ours.rate / pair.theirs.rate).toFixed(1)}x`,
    (1e6 / ourRate).toFixed(1),
    middle((pair) => pair.theirs.cpuMicros).toFixed(1),
    middle((pair) => pair.ours.cpuMicros).toFixed(1),
    `${middle((pair) => pair.theirs.cpuMicros / pair.ours.cpuMicros).toFixed(1)}x`,
  ];
  console.log(`| ${cells.join(' | ')} |`);
}
rmSync(scratch, { recursive: true, force: true });

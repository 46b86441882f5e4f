// Differential test: runs every case of tests/corpus through graphql-run and through
// graphql-js 16 `graphql()`, and compares `data`, the presence of errors, and each error's
// path and locations. Message text may differ.
//
// Usage: node differential.mjs GRAPHQL_RUN CORPUS_DIR
// Exit status: 0 when all cases agree, 1 when any differs, 77 when graphql-js is missing.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const require = createRequire(import.meta.url);
let graphqlJs;
try {
  graphqlJs = require('graphql');
} catch {
  console.log('SKIP: the npm package graphql (16.x) is not installed; run npm install');
  process.exit(77);
}
const { graphql, buildSchema, validateSchema, version } = graphqlJs;
if (!version.startsWith('16.')) {
  console.log(`SKIP: graphql ${version} found, the oracle must be 16.x`);
  process.exit(77);
}

const [runner, corpusDir] = process.argv.slice(2);
const scratch = mkdtempSync(join(tmpdir(), 'graphql-differential-'));

// Error identity for comparison: path and locations, as sorted JSON strings.
function errorKeys(errors) {
  return (errors ?? []).map((e) => JSON.stringify([e.path ?? null, e.locations ?? null])).sort();
}

async function expected(testCase) {
  let schema;
  try {
    schema = buildSchema(testCase.schema);
  } catch {
    return { invalidSchema: true };
  }
  if (validateSchema(schema).length > 0) {
    return { invalidSchema: true };
  }
  const result = await graphql({
    schema,
    source: testCase.query,
    rootValue: testCase.data,
    variableValues: testCase.variables,
    operationName: testCase.operation,
  });
  return JSON.parse(JSON.stringify(result));
}

function actual(testCase) {
  writeFileSync(join(scratch, 'schema.graphql'), testCase.schema);
  writeFileSync(join(scratch, 'data.json'), JSON.stringify(testCase.data ?? {}));
  const args = ['--schema', join(scratch, 'schema.graphql'), '--root', join(scratch, 'data.json')];
  if (testCase.variables !== undefined) {
    writeFileSync(join(scratch, 'variables.json'), JSON.stringify(testCase.variables));
    args.push('--variables', join(scratch, 'variables.json'));
  }
  if (testCase.operation !== undefined) {
    args.push('--operation', testCase.operation);
  }
  try {
    const output = execFileSync(runner, args, { input: testCase.query, stdio: 'pipe' });
    return JSON.parse(output.toString());
  } catch (error) {
    if (error.status !== undefined && error.status !== 0 && error.status < 128) {
      return { invalidSchema: true, stderr: error.stderr?.toString() };
    }
    return { crashed: true, stderr: error.stderr?.toString(), status: error.status };
  }
}

function compare(want, got) {
  if (want.invalidSchema || got.invalidSchema || got.crashed) {
    return want.invalidSchema === got.invalidSchema && !got.crashed ? null : 'schema validity';
  }
  if (('data' in want) !== ('data' in got)) {
    return 'presence of data';
  }
  if (JSON.stringify(want.data) !== JSON.stringify(got.data)) {
    return 'data';
  }
  if (('errors' in want) !== ('errors' in got)) {
    return 'presence of errors';
  }
  if (JSON.stringify(errorKeys(want.errors)) !== JSON.stringify(errorKeys(got.errors))) {
    return 'error paths or locations';
  }
  return null;
}

let total = 0;
let failed = 0;
for (const file of readdirSync(corpusDir).filter((name) => name.endsWith('.json')).sort()) {
  const group = JSON.parse(readFileSync(join(corpusDir, file), 'utf8'));
  for (const testCase of group.cases) {
    const full = { schema: group.schema, data: group.data, ...testCase };
    total += 1;
    const want = await expected(full);
    const got = actual(full);
    const difference = compare(want, got);
    if (difference !== null) {
      failed += 1;
      console.log(`FAIL ${file} ${testCase.name}: ${difference}`);
      console.log(`  graphql-js:  ${JSON.stringify(want)}`);
      console.log(`  graphql-run: ${JSON.stringify(got)}`);
    }
  }
}
rmSync(scratch, { recursive: true, force: true });
console.log(`${total - failed} of ${total} cases agree with graphql-js ${version}`);
process.exit(failed === 0 ? 0 : 1);

// Differential test: runs every case of tests/corpus through graphql-run and through
// graphql-js 16 `graphql()`, and compares `data`, the presence of errors, and each error's
// path and locations. Message text may differ.
//
// Then it runs the full introspection query through both for every distinct valid schema of
// the corpus. The query is getIntrospectionQuery with every option graphql-js 16 has outside
// experiments. The results must agree, and buildClientSchema must accept graphql-run's
// result and print the same SDL as the schema itself. The descriptions of built-in scalars,
// directives and introspection types are left out of that comparison, because this engine
// words them in its own way.
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
const {
  graphql,
  buildSchema,
  validateSchema,
  version,
  getIntrospectionQuery,
  buildClientSchema,
  printSchema,
} = graphqlJs;
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

// The JSON path of the first place where two values differ, for failure reports.
function firstDifference(a, b, path = '$') {
  if (JSON.stringify(a) === JSON.stringify(b)) {
    return null;
  }
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) {
    return `${path}: ${JSON.stringify(a)} versus ${JSON.stringify(b)}`;
  }
  const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
  for (const key of keys) {
    const found = firstDifference(a[key], b[key], `${path}.${key}`);
    if (found !== null) {
      return found;
    }
  }
  return `${path}: member order differs`;
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
const builtinTypes = new Set(['String', 'Int', 'Float', 'Boolean', 'ID']);
const builtinDirectives = new Set(['include', 'skip', 'deprecated', 'specifiedBy', 'oneOf']);

function withoutBuiltinDescriptions(result) {
  const copy = JSON.parse(JSON.stringify(result));
  const strip = (item) => {
    delete item.description;
    for (const member of [item.fields, item.args, item.inputFields, item.enumValues]) {
      for (const entry of member ?? []) {
        delete entry.description;
        for (const argument of entry.args ?? []) {
          delete argument.description;
        }
      }
    }
  };
  for (const type of copy.data?.__schema?.types ?? []) {
    if (type.name.startsWith('__') || builtinTypes.has(type.name)) {
      strip(type);
    }
  }
  for (const directive of copy.data?.__schema?.directives ?? []) {
    if (builtinDirectives.has(directive.name)) {
      strip(directive);
    }
  }
  return copy;
}

const introspectionQuery = getIntrospectionQuery({
  descriptions: true,
  specifiedByUrl: true,
  directiveIsRepeatable: true,
  schemaDescription: true,
  inputValueDeprecation: true,
  oneOf: true,
});
const schemas = new Set();
for (const file of readdirSync(corpusDir).filter((name) => name.endsWith('.json')).sort()) {
  const group = JSON.parse(readFileSync(join(corpusDir, file), 'utf8'));
  for (const testCase of group.cases) {
    schemas.add(testCase.schema ?? group.schema);
  }
}
for (const sdl of schemas) {
  const testCase = { schema: sdl, data: {}, query: introspectionQuery };
  const want = await expected(testCase);
  if (want.invalidSchema) {
    continue;
  }
  total += 1;
  const got = actual(testCase);
  let difference = compare(withoutBuiltinDescriptions(want), withoutBuiltinDescriptions(got));
  // A schema whose introspection fails in graphql-js too (a default value it cannot print)
  // has no client schema to compare.
  if (difference === null && want.errors === undefined) {
    try {
      const printed = printSchema(buildClientSchema(got.data));
      if (printed !== printSchema(buildSchema(sdl))) {
        difference = 'printSchema(buildClientSchema(result)) differs from the schema';
      }
    } catch (error) {
      difference = `buildClientSchema rejected the result: ${error.message}`;
    }
  }
  if (difference !== null) {
    failed += 1;
    console.log(`FAIL introspection of ${JSON.stringify(sdl.slice(0, 60))}...: ${difference}`);
    console.log(
      `  first difference (graphql-js versus graphql-run): ${firstDifference(
        withoutBuiltinDescriptions(want),
        withoutBuiltinDescriptions(got),
      )}`,
    );
  }
}

rmSync(scratch, { recursive: true, force: true });
console.log(`${total - failed} of ${total} cases agree with graphql-js ${version}`);
process.exit(failed === 0 ? 0 : 1);

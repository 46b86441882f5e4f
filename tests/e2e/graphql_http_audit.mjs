// Runs the graphql-http server audit (the npm package pinned in package.json) against a
// running gateway. Fails when a MUST audit fails, and when a SHOULD audit fails that is not
// listed in kAcceptedWarnings. Exit code 77 (skipped) when graphql-http is not installed.
import { startStack } from './stack.mjs';

let serverAudits;
try {
  ({ serverAudits } = await import('graphql-http'));
} catch {
  console.log('graphql-http is not installed; run npm ci at the repository root');
  process.exit(77);
}

// SHOULD audits the gateway does not meet on purpose, with the reason.
const kAcceptedWarnings = new Map([]);

const stack = await startStack();
let failed = false;
try {
  const results = await Promise.all(
    serverAudits({ url: stack.graphqlUrl }).map(({ fn }) => fn()));
  const counts = { ok: 0, warn: 0, error: 0 };
  for (const result of results) {
    counts[result.status] += 1;
    if (result.status === 'ok') {
      continue;
    }
    const accepted = result.status === 'warn' && kAcceptedWarnings.has(result.id);
    console.log(`${result.status.toUpperCase()} ${result.id} ${result.name}: ${result.reason}` +
                (accepted ? ` (accepted: ${kAcceptedWarnings.get(result.id)})` : ''));
    if (!accepted) {
      failed = true;
    }
  }
  console.log(`graphql-http ${results.length} audits: ${counts.ok} passed, ` +
              `${counts.warn} SHOULD failed, ${counts.error} MUST failed`);
} finally {
  await stack.stop();
}
process.exit(failed ? 1 : 0);

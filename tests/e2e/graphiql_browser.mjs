// Loads GraphiQL from a running gateway in Debian's Chromium (headless, driven by
// playwright-core), runs a query there and checks the text of the result panel against the
// same query sent with fetch. Then it runs a subscription in GraphiQL, which goes over the
// gateway's WebSocket, and checks that an offer published meanwhile appears. Exit code 77
// (skipped) when /usr/bin/chromium is missing; scripts/install-deps installs it.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { chromium } from 'playwright-core';

import { GraphQLClient } from './graphql_client.mjs';
import { startStack } from './stack.mjs';

const kChromium = '/usr/bin/chromium';
const kQuery = '{ restaurants(first: 3) { edges { node { name } } } }';

if (!existsSync(kChromium)) {
  console.log(`${kChromium} not found; install the chromium package (scripts/install-deps)`);
  process.exit(77);
}

// Sets the text of a GraphiQL editor through its CodeMirror 5 instance, because typing
// would trigger the editor's bracket completion.
async function setEditorText(page, selector, text) {
  await page.evaluate(([css, value]) => {
    document.querySelector(`${css} .CodeMirror`).CodeMirror.setValue(value);
  }, [selector, text]);
}

async function editorText(page, selector) {
  return page.evaluate((css) => document.querySelector(`${css} .CodeMirror`).CodeMirror.getValue(),
                       selector);
}

// Publishes a bag as the demo store at its first restaurant; returns the offer and where it is.
async function publishDemoOffer(client, title) {
  const login = await client.data(
    'mutation { login(email: "store@demo.surplus", password: "surplus-demo") { accessToken } }');
  const token = login.login.accessToken;
  const { me } = await client.data('{ me { restaurants { id location { latitude longitude } } } }',
                                   { token });
  const restaurant = me.restaurants[0];
  const start = new Date(Date.now() + 30 * 60 * 1000);
  const end = new Date(start.getTime() + 60 * 60 * 1000);
  await client.data(
    `mutation ($input: PublishOfferInput!) { publishOffer(input: $input) { id } }`,
    {
      token,
      variables: {
        input: {
          restaurantId: restaurant.id,
          title,
          category: 'bread',
          price: { amount: 250, currency: 'EUR' },
          originalValue: { amount: 800, currency: 'EUR' },
          quantity: 2,
          pickupWindow: { start: start.toISOString(), end: end.toISOString() },
        },
      },
    });
  return restaurant.location;
}

const stack = await startStack({ seed: true, notifications: true });
const profile = mkdtempSync(join(tmpdir(), 'surplus-chromium-'));
let context;
try {
  const client = new GraphQLClient(stack.graphqlUrl);
  const expected = await client.data(kQuery);
  const names = expected.restaurants.edges.map((edge) => edge.node.name);
  assert.equal(names.length, 3, 'the demo city has at least three restaurants');

  context = await chromium.launchPersistentContext(profile, {
    executablePath: kChromium,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
           '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const page = context.pages()[0] ?? await context.newPage();
  const failedRequests = [];
  page.on('requestfailed', (request) => failedRequests.push(request.url()));

  const response = await page.goto(stack.graphqlUrl);
  assert.equal(response.status(), 200);
  assert.match(response.headers()['content-type'], /^text\/html/);
  await page.waitForSelector('.graphiql-query-editor .CodeMirror', { timeout: 30000 });
  assert.equal(await page.title(), 'Surplus GraphQL');

  await setEditorText(page, '.graphiql-query-editor', kQuery);
  await page.click('.graphiql-execute-button');
  await page.waitForFunction(
    () => document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue().includes('"data"'),
    null, { timeout: 30000 });

  const result = JSON.parse(await editorText(page, '.graphiql-response'));
  assert.deepEqual(result, { data: expected });
  const panelText = await page.locator('.graphiql-response').innerText();
  for (const name of names) {
    assert.ok(panelText.includes(name), `the result panel does not show ${name}`);
  }
  assert.deepEqual(failedRequests, [], 'every request of the page succeeded (no CDN, no network)');

  // The demo restaurants are within 5 km of the walkthrough's customer position.
  const subscription = 'subscription { offersNear(near: {latitude: 52.4986, longitude: 13.4180}, ' +
    'radiusKm: 10) { type offer { title } } }';
  await setEditorText(page, '.graphiql-query-editor', subscription);
  // GraphiQL parses the new text after a debounce. It sends the operation over the
  // WebSocket only once the parsed document is a subscription.
  await page.waitForTimeout(1500);
  await page.click('.graphiql-execute-button');
  const title = `Browser bag ${Date.now()}`;
  // GraphiQL shows no sign that the subscription is active, so publish until it shows an
  // event. On a loaded machine GraphiQL may run the operation before its debounced parse.
  // It then sends it over HTTP and shows the gateway's error, so the test runs it again.
  const deadline = Date.now() + 45000;
  let published = 0;
  let text;
  while (!(text = await editorText(page, '.graphiql-response')).includes(title)) {
    assert.ok(Date.now() < deadline, `GraphiQL did not show the published offer: ${text}`);
    if (text.includes('"errors"')) {
      await page.click('.graphiql-execute-button');
      published = 0;
    } else if (published < 3) {
      await publishDemoOffer(client, title);
      published += 1;
    }
    await new Promise((done) => setTimeout(done, 1000));
  }
  const event = JSON.parse(await editorText(page, '.graphiql-response'));
  assert.equal(event.data.offersNear.type, 'PUBLISHED');
  assert.equal(event.data.offersNear.offer.title, title);

  if (process.env.SURPLUS_BROWSER_SCREENSHOT) {
    await page.screenshot({ path: process.env.SURPLUS_BROWSER_SCREENSHOT });
  }
  console.log(`GraphiQL in ${context.browser()?.version() ?? 'Chromium'} showed ${names.join(', ')}`);
} finally {
  await context?.close();
  rmSync(profile, { recursive: true, force: true });
  await stack.stop();
}

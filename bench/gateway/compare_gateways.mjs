// Checks, before bench/gateway/run measures anything, that the Apollo Server peer returns
// the same results for the benchmark's operations as the C++ gateway, so the two are
// compared on the same work. Exits with status 1 and prints the difference otherwise.
//
// - offers-near: both return the same data, 20 offers each with its restaurant's name;
// - placeOrder: an order for the same offer comes back CONFIRMED from both, with the same
//   fields apart from the order id and pickup code, which are new for every order;
// - placeOrder without a token and for an unknown offer: both fail with the same
//   `extensions.code`, or both return the same order that is not CONFIRMED.
//
// Usage: node bench/gateway/compare_gateways.mjs GATEWAY_URL APOLLO_URL SEED_JSON_FILE
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import { postGraphQL as post } from './graphql_post.mjs';

const [gatewayUrl, apolloUrl, seedFile] = process.argv.slice(2);
if (!seedFile) {
  throw new Error('usage: compare_gateways.mjs GATEWAY_URL APOLLO_URL SEED_JSON_FILE');
}
const seed = JSON.parse(readFileSync(seedFile, 'utf8'));
const offersNear = readFileSync(new URL('offers_near.graphql', import.meta.url), 'utf8');
const placeOrder = readFileSync(new URL('place_order.graphql', import.meta.url), 'utf8');

function orderVariables(offerId) {
  return { input: { offerId, quantity: 1, idempotencyKey: `compare-${randomUUID()}` } };
}

// The order without the fields that differ between any two orders.
function comparable(order) {
  const { id, pickupCode, ...rest } = order;
  assert.match(id, /\S/, 'the order has no id');
  if (order.status === 'CONFIRMED') {
    assert.match(pickupCode, /\S/, 'the confirmed order has no pickup code');
  }
  return rest;
}

async function compareOffersNear() {
  const variables = { near: seed.centre };
  const [gateway, apollo] = await Promise.all([
    post(gatewayUrl, offersNear, variables, seed.token),
    post(apolloUrl, offersNear, variables, seed.token),
  ]);
  assert.equal(gateway.body.errors, undefined, `C++ gateway errors: ${JSON.stringify(gateway.body.errors)}`);
  const edges = gateway.body.data.offers.edges;
  assert.equal(edges.length, 20, 'the C++ gateway did not return 20 offers');
  for (const { node } of edges) {
    assert.match(node.restaurant?.name ?? '', /\S/, `offer ${node.id} has no restaurant name`);
  }
  assert.deepEqual(apollo.body, gateway.body, 'Apollo and the C++ gateway return different offers');
}

async function comparePlaceOrder() {
  const offerId = seed.offerIds.gateway[0];
  const gateway = await post(gatewayUrl, placeOrder, orderVariables(offerId), seed.token);
  const apollo = await post(apolloUrl, placeOrder, orderVariables(offerId), seed.token);
  assert.equal(gateway.body.errors, undefined, `C++ gateway errors: ${JSON.stringify(gateway.body.errors)}`);
  assert.equal(apollo.body.errors, undefined, `Apollo errors: ${JSON.stringify(apollo.body.errors)}`);
  assert.equal(gateway.body.data.placeOrder.status, 'CONFIRMED');
  assert.deepEqual(comparable(apollo.body.data.placeOrder), comparable(gateway.body.data.placeOrder));
}

// Both fail with the same code, or both return the same order apart from its id.
async function compareFailures() {
  const cases = [
    { name: 'placeOrder without a token', variables: orderVariables(seed.offerIds.gateway[0]), token: undefined },
    { name: 'placeOrder of an unknown offer', variables: orderVariables(randomUUID()), token: seed.token },
  ];
  for (const { name, variables, token } of cases) {
    const gateway = await post(gatewayUrl, placeOrder, variables, token);
    const apollo = await post(apolloUrl, placeOrder, variables, token);
    const bodies = `C++ gateway: ${JSON.stringify(gateway.body)}, Apollo: ${JSON.stringify(apollo.body)}`;
    if (gateway.body.errors) {
      const code = gateway.body.errors[0].extensions?.code;
      assert.match(code ?? '', /^[A-Z_]+$/, `${name}: the C++ gateway returned no error code; ${bodies}`);
      assert.equal(apollo.body.errors?.[0]?.extensions?.code, code, `${name}: error codes differ; ${bodies}`);
      assert.equal(apollo.body.data, gateway.body.data, `${name}: data differs; ${bodies}`);
    } else {
      assert.notEqual(gateway.body.data.placeOrder.status, 'CONFIRMED', `${name}: confirmed; ${bodies}`);
      assert.deepEqual(comparable(apollo.body.data.placeOrder), comparable(gateway.body.data.placeOrder),
                       `${name}: orders differ; ${bodies}`);
    }
    console.log(`${name}: ${gateway.body.errors ? gateway.body.errors[0].extensions.code
                                                 : gateway.body.data.placeOrder.status} from both`);
  }
}

await compareOffersNear();
await comparePlaceOrder();
await compareFailures();
console.log('Apollo peer and C++ gateway agree on offers-near, placeOrder and its errors');

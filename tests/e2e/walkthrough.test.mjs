// Runs the GraphQL documents of docs/walkthrough.md in order against orders, offers and the
// gateway started as processes with the demo city, so the walkthrough cannot go stale. Each
// document is a ```graphql block whose first line is `# step: <name> [(as <account>)]`.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { after, before, test } from 'node:test';

import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

import { GraphQLClient } from './graphql_client.mjs';
import { startStack } from './stack.mjs';

const page = readFileSync(new URL('../../docs/walkthrough.md', import.meta.url), 'utf8');
const steps = new Map();
for (const [, name, account, document] of
  page.matchAll(/```graphql\n# step: ([a-z-]+)(?: \(as ([a-z]+)\))?\n([\s\S]*?)```/g)) {
  steps.set(name, { account, document });
}

let stack;
let client;
let live;
const tokens = {};

// Starts subscription step `name` as its account over the gateway's WebSocket and returns
// the list that collects its results. It resolves once the subscription is active. A query
// sent after it on the same connection proves that, because the gateway handles the
// messages of a connection in order.
async function subscribe(name, variables = {}) {
  const step = steps.get(name);
  assert.ok(step, `docs/walkthrough.md has no step ${name}`);
  live = createClient({
    url: stack.websocketUrl,
    webSocketImpl: WebSocket,
    connectionParams: { Authorization: `Bearer ${tokens[step.account]}` },
    retryAttempts: 0,
  });
  const results = [];
  live.subscribe({ query: step.document, variables }, {
    next: (result) => results.push(result),
    error: (error) => results.push({ failed: error }),
    complete: () => {},
  });
  const probe = live.iterate({ query: '{ __typename }' });
  await probe.next();
  await probe.return?.();
  return results;
}

// Runs step `name` of the page as its account with `variables`; returns its data.
async function run(name, variables = {}) {
  const step = steps.get(name);
  assert.ok(step, `docs/walkthrough.md has no step ${name}`);
  return client.data(step.document, { variables, token: step.account && tokens[step.account] });
}

async function waitFor(description, probe) {
  const deadline = Date.now() + 20000;
  for (;;) {
    const value = await probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${description}`);
    }
    await new Promise((done) => setTimeout(done, 200));
  }
}

before(async () => {
  stack = await startStack({ seed: true, notifications: true });
  client = new GraphQLClient(stack.graphqlUrl);
});

after(async () => {
  await live?.dispose();
  await stack?.stop();
});

test('walkthrough steps run as documented', async () => {
  assert.equal(steps.size, 16);

  tokens.store = (await run('store-login')).login.accessToken;
  const { me } = await run('store-restaurants');
  assert.ok(me.restaurants.length > 0);
  const restaurant = me.restaurants[0];

  const start = new Date(Date.now() + 30 * 60 * 1000);
  const end = new Date(start.getTime() + 2 * 60 * 60 * 1000);
  const publish = async () => (await run('publish-offer', {
    restaurantId: restaurant.id, start: start.toISOString(), end: end.toISOString(),
  })).publishOffer;
  const offer = await publish();
  assert.equal(offer.status, 'ACTIVE');
  assert.equal(offer.restaurant.name, restaurant.name);

  tokens.customer = (await run('customer-login')).login.accessToken;
  const near = { latitude: restaurant.location.latitude, longitude: restaurant.location.longitude };
  const found = await run('offers-near', { near });
  const edge = found.offers.edges.find((candidate) => candidate.node.id === offer.id);
  assert.ok(edge, `the new offer is not among ${found.offers.edges.length} offers near`);
  assert.equal(edge.node.restaurant.name, restaurant.name);

  const storeLive = await subscribe('store-live', { restaurantId: restaurant.id });
  const key = randomUUID();
  const order = (await run('place-order', { offerId: offer.id, key })).placeOrder;
  assert.equal(order.status, 'CONFIRMED');
  const event = (type) => storeLive.find((result) => result.failed ||
    (result.data?.restaurantOrders.order.id === order.id && result.data.restaurantOrders.type === type));
  const confirmedLive = await waitFor('the store to see the reservation live', async () => event('CONFIRMED'));
  assert.equal(confirmedLive.failed, undefined);
  assert.equal(confirmedLive.data.restaurantOrders.order.status, 'CONFIRMED');
  assert.deepEqual(confirmedLive.data.restaurantOrders.order.lines,
                   [{ title: 'Evening bread bag', quantity: 1 }]);
  const again = (await run('place-order', { offerId: offer.id, key })).placeOrder;
  assert.equal(again.id, order.id);

  const incoming = await run('store-orders', { restaurantId: restaurant.id });
  assert.ok(incoming.orders.edges.some((candidate) => candidate.node.id === order.id));

  const collected = await run('confirm-pickup', { orderId: order.id, code: order.pickupCode });
  assert.equal(collected.confirmPickup.status, 'COLLECTED');
  const collectedLive = await waitFor('the store to see the collection live', async () => event('COLLECTED'));
  assert.equal(collectedLive.data.restaurantOrders.order.status, 'COLLECTED');
  const rating = await run('rate-order', { orderId: order.id });
  assert.equal(rating.rateOrder.stars, 5);

  const courier = (await run('courier-login')).login;
  tokens.courier = courier.accessToken;
  const duty = await run('courier-on-duty', { courierId: courier.user.id, location: near });
  assert.equal(duty.updateCourierStatus.status, 'AVAILABLE');

  const deliveryOrder = (await run('place-delivery-order',
                                   { offerId: offer.id, key: randomUUID() })).placeOrder;
  assert.equal(deliveryOrder.status, 'CONFIRMED');
  const delivery = await waitFor('the delivery to be assigned', async () => {
    const read = await client.data(
      `query ($id: ID!) {
        order(id: $id) { delivery { id status proofCode courierId courier { id name vehicle } } }
      }`,
      { token: tokens.customer, variables: { id: deliveryOrder.id } });
    return read.order.delivery?.status === 'ASSIGNED' ? read.order.delivery : null;
  });
  assert.equal(delivery.courierId, courier.user.id);
  // The customer can read the courier while the delivery is under way.
  assert.equal(delivery.courier.id, courier.user.id);
  assert.equal(typeof delivery.courier.name, 'string');
  assert.ok(delivery.courier.name.length > 0);
  assert.match(delivery.proofCode, /^\d{6}$/);

  const route = await run('courier-route', { courierId: courier.user.id });
  assert.ok(route.courier.deliveries.edges.some((candidate) => candidate.node.id === delivery.id));
  assert.deepEqual(route.courier.route.stops.map((stop) => stop.kind).slice(-2),
                   ['PICKUP', 'DROPOFF']);

  const picked = await run('picked-up', { deliveryId: delivery.id });
  assert.equal(picked.updateDeliveryStatus.status, 'PICKED_UP');
  const delivered = await run('delivered', { deliveryId: delivery.id, proofCode: delivery.proofCode });
  assert.equal(delivered.updateDeliveryStatus.status, 'DELIVERED');
});

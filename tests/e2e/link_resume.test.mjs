// Subscriptions across a lost connection between the gateway and the notifications
// service: orders, offers, notifications and the gateway as processes, with the outbox
// relays on. The test stops the notifications process by its pid and starts it again on the
// same port, and checks what graphql-ws clients of the gateway receive.
// Run with `node --test tests/e2e/link_resume.test.mjs`.
import assert from 'node:assert/strict';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

import { GraphQLClient } from './graphql_client.mjs';
import { startStack } from './stack.mjs';
import {
  Live, publishOffer, register, settled, storeWithRestaurant,
} from './subscription_support.mjs';

const kCentre = { latitude: 52.5, longitude: 13.4 };
const kFarAway = { latitude: 48.1, longitude: 11.6 };
// Long enough for a restart of the notifications service on a loaded machine.
const kReconnectTimeout = '30s';
const kShortReconnectMs = 2000;

const OFFERS_NEAR = `subscription ($near: GeoPointInput!) {
  offersNear(near: $near, radiusKm: 2) { type offer { id } }
}`;
const RESTAURANT_ORDERS = `subscription ($id: ID!) {
  restaurantOrders(restaurantId: $id) { type order { id } }
}`;

let stack;
let http;
const clients = [];

// A graphql-ws client that does not retry, so a close ends its subscriptions; the close
// events land in `closes`.
function client(url, token, closes) {
  const created = createClient({
    url,
    webSocketImpl: WebSocket,
    connectionParams: token ? { token } : {},
    retryAttempts: 0,
    on: { closed: (event) => closes.push({ code: event.code, reason: event.reason }) },
  });
  clients.push(created);
  return created;
}

async function placeOrder(customer, offer) {
  const data = await http.data(
    `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id status } }`,
    {
      token: customer.accessToken,
      variables: { input: { offerId: offer.id, quantity: 1, idempotencyKey: randomUUID() } },
    });
  assert.equal(data.placeOrder.status, 'CONFIRMED');
  return data.placeOrder.id;
}

async function firstClose(closes, ms) {
  const deadline = Date.now() + ms;
  while (closes.length === 0) {
    if (Date.now() > deadline) {
      throw new Error(`the gateway did not close the client within ${ms} ms`);
    }
    await new Promise((done) => setTimeout(done, 25));
  }
  return closes[0];
}

// Log lines of `service` that contain `text`.
function logLines(service, text) {
  return readFileSync(service.logFile, 'utf8').split('\n').filter((line) => line.includes(text));
}

// The offset of the public `offers` channel, from the `subscribed` reply of the service.
async function offersChannelOffset() {
  const socket = new WebSocket(`ws://127.0.0.1:${stack.notifications.port}/ws`);
  try {
    await once(socket, 'open');
    socket.send(JSON.stringify({ type: 'subscribe', channel: 'offers' }));
    const [data] = await once(socket, 'message');
    const reply = JSON.parse(data.toString());
    assert.equal(reply.type, 'subscribed');
    return reply.offset;
  } finally {
    socket.close();
  }
}

async function restartNotifications(env = {}) {
  await stack.notifications.stop();
  Object.assign(stack.notifications.env, env);
  await stack.notifications.start();
}

before(async () => {
  stack = await startStack({
    notifications: true,
    gatewayEnv: { NOTIFICATIONS_RECONNECT_TIMEOUT: kReconnectTimeout },
  });
  http = new GraphQLClient(stack.graphqlUrl);
});

after(async () => {
  await Promise.all(clients.map((created) => created.dispose()));
  await stack?.stop();
});

test('subscriptions resume after notifications restart', async () => {
  const near = await storeWithRestaurant(http, 'Resume Bakery', kCentre);
  // Orders go to a store far from kCentre, so their offer updates stay outside offersNear.
  const far = await storeWithRestaurant(http, 'Far Resume Bakery', kFarAway);
  const customer = await register(http, 'CUSTOMER', 'Resume Customer');
  const farOffer = await publishOffer(http, far, 'Far bag');

  const closes = [];
  const anonymous = client(stack.websocketUrl, null, closes);
  const storeClient = client(stack.websocketUrl, far.accessToken, closes);
  const offersLive = new Live(anonymous, OFFERS_NEAR, { near: kCentre });
  const ordersLive = new Live(storeClient, RESTAURANT_ORDERS, { id: far.restaurant.id });
  await Promise.all([settled(anonymous), settled(storeClient)]);

  const offerIds = [];
  const orderIds = [];
  offerIds.push((await publishOffer(http, near, 'Before restart')).id);
  orderIds.push(await placeOrder(customer, farOffer));
  await offersLive.received('offer published before the restart', 1);
  await ordersLive.received('order placed before the restart', 1);

  await stack.notifications.stop();
  // A channel that the store's link did not have yet: its subscribe message waits for the
  // new connection.
  const lateLive = new Live(storeClient, OFFERS_NEAR, { near: kCentre });
  // The outbox relays hold these until the service is back.
  offerIds.push((await publishOffer(http, near, 'While down 1')).id);
  offerIds.push((await publishOffer(http, near, 'While down 2')).id);
  orderIds.push(await placeOrder(customer, farOffer));
  await stack.notifications.start();
  await settled(storeClient);
  const afterId = (await publishOffer(http, near, 'After restart')).id;
  offerIds.push(afterId);
  orderIds.push(await placeOrder(customer, farOffer));

  // Events of a channel arrive in order, so a repeated event would arrive before the last
  // one: waiting for the last one is enough to see every duplicate.
  await offersLive.received('every offer', offerIds.length, 60000);
  await ordersLive.received('every order', orderIds.length, 60000);
  assert.deepEqual(offersLive.results.map((result) => result.data.offersNear),
                   offerIds.map((id) => ({ type: 'PUBLISHED', offer: { id } })));
  assert.deepEqual(ordersLive.results.map((result) => result.data.restaurantOrders),
                   orderIds.map((id) => ({ type: 'CONFIRMED', order: { id } })));

  // The late subscription started from the position of its `subscribed` reply, which may
  // come before or after the relay delivered the offers published while down.
  const late = await lateLive.next('offer published after the restart',
                                   (result) => result.data?.offersNear?.offer.id === afterId);
  assert.deepEqual(late.data.offersNear, { type: 'PUBLISHED', offer: { id: afterId } });

  assert.deepEqual(closes, []);
  for (const live of [offersLive, ordersLive, lateLive]) {
    assert.equal(live.errors, null);
    assert.equal(live.completed, false);
  }
  // Both links logged their resume, with their connection ids.
  assert.equal(logLines(stack.gateway, 'resumed, channels: 1').length, 2);
  offersLive.dispose();
  ordersLive.dispose();
  lateLive.dispose();
});

test('missed events are replayed from the history', async () => {
  // Mutations go through a second gateway, because the test pauses the first one.
  const other = await stack.startGateway({});
  const mutations = new GraphQLClient(`${other.url}/graphql`);
  const near = await storeWithRestaurant(mutations, 'History Bakery', kCentre);
  const closes = [];
  const anonymous = client(stack.websocketUrl, null, closes);
  const live = new Live(anonymous, OFFERS_NEAR, { near: kCentre });
  await settled(anonymous);
  const offerIds = [(await publishOffer(mutations, near, 'Seen live')).id];
  await live.received('offer published before the restart', 1);
  const offsetBefore = await offersChannelOffset();

  // While the gateway is paused it cannot reconnect, so the relay stores the missed events
  // before the link resumes, and they come from the service's history.
  const gatewayPid = stack.gateway.child.pid;
  process.kill(gatewayPid, 'SIGSTOP');
  try {
    await stack.notifications.stop();
    offerIds.push((await publishOffer(mutations, near, 'Missed 1')).id);
    offerIds.push((await publishOffer(mutations, near, 'Missed 2')).id);
    await stack.notifications.start();
    const deadline = Date.now() + 60000;
    while (await offersChannelOffset() < offsetBefore + 2) {
      assert.ok(Date.now() < deadline, 'the outbox relay did not deliver the missed offers');
      await new Promise((done) => setTimeout(done, 100));
    }
  } finally {
    process.kill(gatewayPid, 'SIGCONT');
  }
  offerIds.push((await publishOffer(mutations, near, 'After resume')).id);

  await live.received('every offer', offerIds.length, 60000);
  assert.deepEqual(live.results.map((result) => result.data.offersNear),
                   offerIds.map((id) => ({ type: 'PUBLISHED', offer: { id } })));
  assert.deepEqual(closes, []);
  assert.equal(live.errors, null);
  live.dispose();
});

test('client gets 1011 when notifications stays down', async () => {
  const gateway = await stack.startGateway({
    NOTIFICATIONS_RECONNECT_TIMEOUT: `${kShortReconnectMs}ms`,
  });
  const closes = [];
  const waiting = client(`ws://127.0.0.1:${gateway.port}/graphql`, null, closes);
  const live = new Live(waiting, OFFERS_NEAR, { near: kCentre });
  await settled(waiting);

  const stopping = Date.now();
  await stack.notifications.stop();
  try {
    const closed = await firstClose(closes, 30000);
    assert.ok(Date.now() - stopping >= kShortReconnectMs,
              `closed ${Date.now() - stopping} ms after the stop, before the reconnect time`);
    assert.equal(closed.code, 1011);
    assert.match(closed.reason, /notifications service was lost and not restored/);
    assert.equal(live.results.length, 0);
    assert.ok(logLines(gateway, 'reconnecting for up to').length >= 1);
  } finally {
    await stack.notifications.start();
  }
});

test('client gets 1011 when the events cannot be replayed', async () => {
  const closes = [];
  const anonymous = client(stack.websocketUrl, null, closes);
  const live = new Live(anonymous, OFFERS_NEAR, { near: kCentre });
  await settled(anonymous);

  // A new database has a new epoch, so no offset of the old one can be resumed.
  await restartNotifications({
    DATABASE_URL: `sqlite://${join(stack.directory, 'notifications-recreated.db')}`,
  });
  const closed = await firstClose(closes, 60000);
  assert.equal(closed.code, 1011);
  assert.match(closed.reason, /^events may have been missed/);
  assert.equal(live.completed, false);
  assert.equal(logLines(stack.gateway, 'could not be resumed after offset').length, 1);
});

test('client gets 4403 when the token is rejected on reconnect', async () => {
  const store = await storeWithRestaurant(http, 'Rejected Bakery', kCentre);
  const closes = [];
  const storeClient = client(stack.websocketUrl, store.accessToken, closes);
  const live = new Live(storeClient, RESTAURANT_ORDERS, { id: store.restaurant.id });
  await settled(storeClient);

  // With another public key the service rejects every token the orders service issued, as
  // it rejects an expired one.
  const { publicKey } = generateKeyPairSync('ed25519');
  const otherKey = Buffer.from(publicKey.export({ format: 'jwk' }).x, 'base64url').toString('base64');
  await restartNotifications({ AUTH_PUBLIC_KEY: otherKey });
  const closed = await firstClose(closes, 60000);
  assert.equal(closed.code, 4403);
  assert.match(closed.reason, /^Forbidden: .*rejected the access token/);
  assert.equal(live.completed, false);
});

// GraphQL subscriptions end to end: orders, offers, notifications and the gateway as
// processes, with the outbox relays delivering events. Clients use the graphql-ws client over
// the `ws` package, and raw `ws` sockets for the protocol's close codes.
// Run with `node --test tests/e2e/subscriptions.test.mjs`.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { createClient } from 'graphql-ws';
import WebSocket from 'ws';

import { GraphQLClient } from './graphql_client.mjs';
import { startStack } from './stack.mjs';
import {
  Live, publishOffer, register, settled, storeWithRestaurant,
} from './subscription_support.mjs';

const kCentre = { latitude: 52.5, longitude: 13.4 };
const kFarAway = { latitude: 48.1, longitude: 11.6 };
const kMaxSubscriptions = 3;
const kMaxMessageBytes = 4096;

let stack;
let http;
const clients = [];

function client(token) {
  const created = createClient({
    url: stack.websocketUrl,
    webSocketImpl: WebSocket,
    connectionParams: token ? { token } : {},
    retryAttempts: 0,
  });
  clients.push(created);
  return created;
}

// A raw graphql-transport-ws socket: sends `messages` once open and resolves with the close
// code and the messages received.
function rawSession(messages, { protocol = 'graphql-transport-ws', ms = 10000 } = {}) {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(stack.websocketUrl, protocol ? [protocol] : []);
    const received = [];
    const timer = setTimeout(() => {
      socket.terminate();
      reject(new Error(`the gateway did not close the socket within ${ms} ms; got ${JSON.stringify(received)}`));
    }, ms);
    socket.on('open', () => {
      for (const message of messages) {
        socket.send(typeof message === 'string' ? message : JSON.stringify(message));
      }
    });
    socket.on('message', (data) => received.push(JSON.parse(data.toString())));
    socket.on('error', () => {});
    socket.on('close', (code, reason) => {
      clearTimeout(timer);
      resolve({ code, reason: reason.toString(), received });
    });
  });
}

before(async () => {
  stack = await startStack({
    notifications: true,
    gatewayEnv: {
      GRAPHQL_WS_INIT_TIMEOUT: '500ms',
      GRAPHQL_WS_MAX_SUBSCRIPTIONS: String(kMaxSubscriptions),
      GRAPHQL_WS_MAX_MESSAGE_BYTES: String(kMaxMessageBytes),
    },
  });
  http = new GraphQLClient(stack.graphqlUrl);
});

after(async () => {
  await Promise.all(clients.map((created) => created.dispose()));
  await stack?.stop();
});

const ORDER_EVENT = `type occurredAt order { id status restaurant { name } }`;

describe('order subscriptions', () => {
  let store;
  let customer;
  let other;
  let order;

  before(async () => {
    store = await storeWithRestaurant(http, 'Live Bakery', kCentre);
    customer = await register(http, 'CUSTOMER', 'Live Customer');
    other = await register(http, 'CUSTOMER', 'Other Customer');
  });

  test('store and customer see an order placed, confirmed and collected', async () => {
    const offer = await publishOffer(http, store, 'Live bag');
    const storeClient = client(store.accessToken);
    const customerClient = client(customer.accessToken);
    const storeLive = new Live(
      storeClient,
      `subscription ($id: ID!) { restaurantOrders(restaurantId: $id) { ${ORDER_EVENT} } }`,
      { id: store.restaurant.id });
    const customerLive = new Live(customerClient, `subscription { myOrders { ${ORDER_EVENT} } }`);
    await Promise.all([settled(storeClient), settled(customerClient)]);

    const placed = await http.data(
      `mutation ($input: PlaceOrderInput!) { placeOrder(input: $input) { id status pickupCode } }`,
      {
        token: customer.accessToken,
        variables: { input: { offerId: offer.id, quantity: 1, idempotencyKey: randomUUID() } },
      });
    order = placed.placeOrder;
    assert.equal(order.status, 'CONFIRMED');

    const isOrder = (type) => (result) =>
      result.data?.restaurantOrders?.order.id === order.id && result.data.restaurantOrders.type === type;
    // The restaurant's channel starts with the reservation; CREATED goes to the customer only.
    const confirmed = await storeLive.next('store: CONFIRMED', isOrder('CONFIRMED'));
    assert.equal(confirmed.errors, undefined);
    assert.ok(!storeLive.results.some(isOrder('CREATED')), 'the store saw CREATED');
    assert.equal(confirmed.data.restaurantOrders.order.status, 'CONFIRMED');
    assert.equal(confirmed.data.restaurantOrders.order.restaurant.name, 'Live Bakery');
    assert.ok(!Number.isNaN(Date.parse(confirmed.data.restaurantOrders.occurredAt)));

    const mine = (type) => (result) =>
      result.data?.myOrders?.order.id === order.id && result.data.myOrders.type === type;
    await customerLive.next('customer: CREATED', mine('CREATED'));
    const customerConfirmed = await customerLive.next('customer: CONFIRMED', mine('CONFIRMED'));
    assert.equal(customerConfirmed.data.myOrders.order.restaurant.name, 'Live Bakery');

    const orderLive = new Live(
      customerClient,
      `subscription ($id: ID!) { orderUpdated(id: $id) { type order { id status } } }`,
      { id: order.id });
    await settled(customerClient);

    const collected = await http.data(
      `mutation ($id: ID!, $code: String!) { confirmPickup(orderId: $id, pickupCode: $code) { status } }`,
      { token: store.accessToken, variables: { id: order.id, code: order.pickupCode } });
    assert.equal(collected.confirmPickup.status, 'COLLECTED');

    const storeCollected = await storeLive.next('store: COLLECTED', isOrder('COLLECTED'));
    assert.equal(storeCollected.data.restaurantOrders.order.status, 'COLLECTED');
    await customerLive.next('customer: COLLECTED', mine('COLLECTED'));
    const updated = await orderLive.next('orderUpdated: COLLECTED',
                                         (result) => result.data?.orderUpdated?.type === 'COLLECTED');
    assert.deepEqual(updated.data.orderUpdated.order, { id: order.id, status: 'COLLECTED' });
    // orderUpdated started after the order was placed, so it saw no earlier event.
    assert.equal(orderLive.results.length, 1);

    orderLive.dispose();
    storeLive.dispose();
    customerLive.dispose();
  });

  test('customer cannot subscribe to another customer order', async () => {
    assert.ok(order, 'the previous test placed an order');
    const live = new Live(client(other.accessToken),
                          `subscription ($id: ID!) { orderUpdated(id: $id) { type } }`,
                          { id: order.id });
    const errors = await live.failure();
    assert.equal(errors.length, 1);
    assert.equal(errors[0].extensions.code, 'FORBIDDEN');
    assert.deepEqual(errors[0].path, ['orderUpdated']);
  });

  test('customer cannot subscribe to a restaurant', async () => {
    const live = new Live(client(customer.accessToken),
                          `subscription ($id: ID!) { restaurantOrders(restaurantId: $id) { type } }`,
                          { id: store.restaurant.id });
    const errors = await live.failure();
    assert.equal(errors[0].extensions.code, 'FORBIDDEN');
  });

  test('myOrders without token is unauthenticated', async () => {
    const live = new Live(client(), `subscription { myOrders { type } }`);
    const errors = await live.failure();
    assert.equal(errors[0].extensions.code, 'UNAUTHENTICATED');
  });
});

describe('offer subscriptions', () => {
  test('offersNear reports offers inside its radius only', async () => {
    const near = await storeWithRestaurant(http, 'Near Bakery', kCentre);
    const far = await storeWithRestaurant(http, 'Far Bakery', kFarAway);
    const anonymous = client();
    const live = new Live(
      anonymous,
      `subscription ($near: GeoPointInput!) {
        offersNear(near: $near, radiusKm: 2) { type offer { id title distanceKm restaurant { name } } }
      }`,
      { near: kCentre });
    await settled(anonymous);

    const farOffer = await publishOffer(http, far, 'Far bag');
    const nearOffer = await publishOffer(http, near, 'Near bag');
    const published = await live.next(
      'PUBLISHED near offer',
      (result) => result.data?.offersNear?.offer.id === nearOffer.id && result.data.offersNear.type === 'PUBLISHED');
    assert.equal(published.data.offersNear.offer.title, 'Near bag');
    assert.equal(published.data.offersNear.offer.restaurant.name, 'Near Bakery');
    assert.ok(published.data.offersNear.offer.distanceKm < 0.01);
    assert.ok(!live.results.some((result) => result.data?.offersNear?.offer.id === farOffer.id),
              'an offer about 500 km away was reported');
    live.dispose();
  });

  test('offersNear rejects an invalid radius', async () => {
    const live = new Live(client(), `subscription { offersNear(near: {latitude: 52.5, longitude: 13.4}, radiusKm: 500) { type } }`);
    const errors = await live.failure();
    assert.equal(errors[0].extensions.code, 'BAD_USER_INPUT');
    assert.match(errors[0].message, /radiusKm/);
  });

  test('subscriptions per connection are limited', async () => {
    const limited = client();
    const query = `subscription { offersNear(near: {latitude: 52.5, longitude: 13.4}) { type } }`;
    const active = [];
    for (let i = 0; i < kMaxSubscriptions; i += 1) {
      active.push(new Live(limited, query));
    }
    await settled(limited);
    const extra = new Live(limited, query);
    const errors = await extra.failure();
    assert.equal(errors[0].extensions.code, 'TOO_MANY_SUBSCRIPTIONS');
    for (const live of active) {
      assert.equal(live.errors, null);
    }
    // Completing one makes room for another.
    active[0].dispose();
    const replacement = new Live(limited, query);
    await settled(limited);
    assert.equal(replacement.errors, null);
  });
});

describe('graphql-transport-ws messages', () => {
  const init = { type: 'connection_init' };
  const subscribe = (id) => ({
    id,
    type: 'subscribe',
    payload: { query: 'subscription { offersNear(near: {latitude: 1, longitude: 1}) { type } }' },
  });

  test('single result operations complete', async () => {
    const session = await new Promise((resolve, reject) => {
      const socket = new WebSocket(stack.websocketUrl, ['graphql-transport-ws']);
      const received = [];
      socket.on('open', () => {
        socket.send(JSON.stringify(init));
        socket.send(JSON.stringify({ type: 'ping', payload: { n: 1 } }));
        socket.send(JSON.stringify({ id: 'q', type: 'subscribe', payload: { query: '{ __typename }' } }));
      });
      socket.on('error', reject);
      socket.on('message', (data) => {
        received.push(JSON.parse(data.toString()));
        if (received.length === 4) {
          socket.close(1000);
          resolve(received);
        }
      });
    });
    assert.deepEqual(session, [
      { type: 'connection_ack' },
      { type: 'pong', payload: { n: 1 } },
      { type: 'next', id: 'q', payload: { data: { __typename: 'Query' } } },
      { type: 'complete', id: 'q' },
    ]);
  });

  test('invalid JSON closes with 4400', async () => {
    const { code } = await rawSession([init, '{"type": ']);
    assert.equal(code, 4400);
  });

  test('deeply nested message closes with 4400 naming the limit', async () => {
    // Deep enough to pass the limit, small enough to stay under the message size limit.
    const depth = 1000;
    const variables = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    const message = `{"id":"1","type":"subscribe","payload":{"query":"{ __typename }",` +
      `"variables":{"v":${variables}}}}`;
    const { code, reason } = await rawSession([init, message]);
    assert.equal(code, 4400);
    assert.equal(reason, 'Invalid message: JSON nested deeper than 128 levels');
  });

  test('unknown message type closes with 4400', async () => {
    const { code } = await rawSession([init, { type: 'start', id: '1' }]);
    assert.equal(code, 4400);
  });

  test('subscribe before ack closes with 4401', async () => {
    const { code, received } = await rawSession([subscribe('1')]);
    assert.equal(code, 4401);
    assert.deepEqual(received, []);
  });

  test('invalid token closes with 4403', async () => {
    const { code } = await rawSession([{ type: 'connection_init', payload: { token: 'not-a-token' } }]);
    assert.equal(code, 4403);
  });

  test('missing subprotocol closes with 4406', async () => {
    const { code } = await rawSession([init], { protocol: null });
    assert.equal(code, 4406);
  });

  test('no connection_init closes with 4408', async () => {
    const { code, reason } = await rawSession([]);
    assert.equal(code, 4408);
    assert.match(reason, /initialisation timeout/);
  });

  test('duplicate operation id closes with 4409', async () => {
    const { code, reason, received } = await rawSession([init, subscribe('same'), subscribe('same')]);
    assert.equal(code, 4409);
    assert.match(reason, /same/);
    assert.deepEqual(received, [{ type: 'connection_ack' }]);
  });

  test('second connection_init closes with 4429', async () => {
    const { code } = await rawSession([init, init]);
    assert.equal(code, 4429);
  });

  test('oversized message closes the connection', async () => {
    const big = subscribe('big');
    big.payload.query += ' '.repeat(kMaxMessageBytes);
    const { code } = await rawSession([init, big]);
    // Beast 1.74 may reset the connection before its 1009 close frame arrives (1006).
    assert.ok(code === 1009 || code === 1006, `closed with ${code}`);
  });

  test('terminated client reports 4499 and resubscribes', async () => {
    const closes = [];
    const terminated = createClient({
      url: stack.websocketUrl,
      webSocketImpl: WebSocket,
      retryAttempts: 1,
      retryWait: async () => {},
      on: { closed: (event) => closes.push(event.code) },
    });
    clients.push(terminated);
    const live = new Live(terminated, `subscription { offersNear(near: {latitude: 1, longitude: 1}) { type } }`);
    await settled(terminated);
    terminated.terminate();
    assert.deepEqual(closes, [4499]);
    // The client reconnects and subscribes again; the gateway serves it as a new connection.
    await settled(terminated);
    assert.equal(live.errors, null);
    live.dispose();
  });
});

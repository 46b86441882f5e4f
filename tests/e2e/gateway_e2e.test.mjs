// The gateway end to end: orders, offers and the gateway as processes, called through
// GraphQL over real sockets. Run with `node --test tests/e2e/gateway_e2e.test.mjs`.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { after, before, describe, test } from 'node:test';

import { GraphQLClient } from './graphql_client.mjs';
import { startStack } from './stack.mjs';

const kPassword = 'correct horse battery staple';
const kCentre = { latitude: 52.5, longitude: 13.4 };

let stack;
let client;

const REGISTER = `mutation ($input: RegisterInput!) {
  register(input: $input) { accessToken refreshToken user { id email role } }
}`;

async function register(role, name) {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID()}@example.test`;
  const data = await client.data(REGISTER, {
    variables: { input: { email, password: kPassword, displayName: name, role } },
  });
  return { ...data.register, email };
}

// A STORE account with a restaurant at `location`, holding a token that lists it.
async function storeWithRestaurant(name, location) {
  const store = await register('STORE', name);
  const created = await client.data(
    `mutation ($input: CreateRestaurantInput!) { createRestaurant(input: $input) { id name } }`,
    {
      token: store.accessToken,
      variables: {
        input: { name, category: 'BAKERY', address: `${name} Street 1`, location },
      },
    });
  // The access token lists the restaurants of its user when it was issued.
  const refreshed = await client.data(
    `mutation ($token: String!) { refreshToken(refreshToken: $token) { accessToken } }`,
    { variables: { token: store.refreshToken } });
  return { ...store, accessToken: refreshed.refreshToken.accessToken, restaurant: created.createRestaurant };
}

const PUBLISH_OFFER = `mutation ($input: PublishOfferInput!) {
  publishOffer(input: $input) { id status quantityAvailable price { amount currency } }
}`;

function offerInput(store, { quantity = 5, title = 'Surprise bag', idempotencyKey } = {}) {
  const start = new Date(Date.now() + 60 * 60 * 1000);
  const end = new Date(start.getTime() + 2 * 60 * 60 * 1000);
  return {
    restaurantId: store.restaurant.id,
    title,
    category: 'bread',
    price: { amount: 300, currency: 'EUR' },
    originalValue: { amount: 900, currency: 'EUR' },
    quantity,
    pickupWindow: { start: start.toISOString(), end: end.toISOString() },
    ...(idempotencyKey === undefined ? {} : { idempotencyKey }),
  };
}

async function publishOffer(store, options = {}) {
  const data = await client.data(PUBLISH_OFFER,
    { token: store.accessToken, variables: { input: offerInput(store, options) } });
  return data.publishOffer;
}

const PLACE_ORDER = `mutation ($input: PlaceOrderInput!) {
  placeOrder(input: $input) {
    id status pickupCode total { amount currency } rejection { code }
    restaurant { name } lines { offerId quantity unitPrice { amount } }
  }
}`;

// Whether the orders service serves the order endpoints; without them the order tests
// are skipped instead of failing.
let ordersServed = false;

function requireOrders(t) {
  if (!ordersServed) {
    t.skip('the orders service has no /orders endpoint');
    return false;
  }
  return true;
}

before(async () => {
  stack = await startStack();
  client = new GraphQLClient(stack.graphqlUrl);
  ordersServed = (await fetch(`${stack.orders.url}/orders`)).status !== 404;
});

after(async () => {
  await stack?.stop();
});

describe('accounts', () => {
  test('register, login and me', async () => {
    const customer = await register('CUSTOMER', 'Carla');
    assert.equal(customer.user.role, 'CUSTOMER');

    const login = await client.data(
      `mutation ($email: String!, $password: String!) {
        login(email: $email, password: $password) { accessToken tokenType user { email } }
      }`,
      { variables: { email: customer.email, password: kPassword } });
    assert.equal(login.login.tokenType, 'Bearer');
    assert.equal(login.login.user.email, customer.email);

    const me = await client.data('{ me { id email role restaurants { id } } }',
                                 { token: login.login.accessToken });
    assert.equal(me.me.id, customer.user.id);
    assert.deepEqual(me.me.restaurants, []);

    const anonymous = await client.data('{ me { id } }');
    assert.equal(anonymous.me, null);
  });

  test('wrong password is UNAUTHENTICATED', async () => {
    const customer = await register('CUSTOMER', 'Wrong');
    const { body } = await client.request(
      `mutation { login(email: "${customer.email}", password: "not the password") { accessToken } }`);
    assert.equal(body.data, null);
    assert.equal(body.errors[0].extensions.code, 'UNAUTHENTICATED');
    assert.deepEqual(body.errors[0].path, ['login']);
  });

  test('failed logins count per client address, not per gateway', async () => {
    // This gateway listens on both IPv4 and IPv6 loopback, so the same test reaches it from
    // two client addresses. Without the address forwarded, the orders service would see
    // the gateway's own address for both and block both.
    const dualStack = await stack.startGateway({ HOST: '::' });
    const viaIpv4 = new GraphQLClient(`http://127.0.0.1:${dualStack.port}/graphql`);
    const viaIpv6 = new GraphQLClient(`http://[::1]:${dualStack.port}/graphql`);
    const customer = await register('CUSTOMER', 'Locked');
    const attempt = (graphql, password) => graphql.request(
      'mutation ($email: String!, $password: String!) { login(email: $email, password: $password) { accessToken } }',
      { variables: { email: customer.email, password } });
    for (let failure = 0; failure < 5; failure += 1) {
      const { body } = await attempt(viaIpv4, 'not the password');
      assert.equal(body.errors[0].extensions.code, 'UNAUTHENTICATED', JSON.stringify(body));
    }
    const blocked = await attempt(viaIpv4, kPassword);
    assert.equal(blocked.body.errors[0].extensions.code, 'RATE_LIMITED', JSON.stringify(blocked.body));
    const elsewhere = await attempt(viaIpv6, kPassword);
    assert.equal(elsewhere.body.errors, undefined, JSON.stringify(elsewhere.body));
    assert.equal(typeof elsewhere.body.data.login.accessToken, 'string');
  });

  test('short password is BAD_USER_INPUT', async () => {
    const { body } = await client.request(REGISTER, {
      variables: { input: { email: 'short@example.test', password: 'short', displayName: 'S' } },
    });
    assert.equal(body.errors[0].extensions.code, 'BAD_USER_INPUT');
    assert.ok(body.errors[0].extensions.fields.some((field) => field.field === 'password'));
  });
});

describe('store and customer', () => {
  let store;
  let customer;
  let offer;

  before(async () => {
    store = await storeWithRestaurant('Kiez Bakery', kCentre);
    customer = await register('CUSTOMER', 'Nina');
    offer = await publishOffer(store);
  });

  test('store publishes an offer', () => {
    assert.equal(offer.status, 'ACTIVE');
    assert.equal(offer.quantityAvailable, 5);
    assert.deepEqual(offer.price, { amount: 300, currency: 'EUR' });
  });

  // A store whose publishOffer timed out retries it with the same key and gets the offer
  // that the first call created, not a second one.
  test('publishOffer with a key creates one offer', async () => {
    const key = `publish-${randomUUID()}`;
    const input = offerInput(store, { title: 'Keyed bag', idempotencyKey: key });
    const first = await client.data(PUBLISH_OFFER, { token: store.accessToken, variables: { input } });
    const retry = await client.data(PUBLISH_OFFER, { token: store.accessToken, variables: { input } });
    assert.equal(retry.publishOffer.id, first.publishOffer.id);
    assert.equal(retry.publishOffer.status, 'ACTIVE');

    const other = await client.request(PUBLISH_OFFER, {
      token: store.accessToken,
      variables: { input: { ...input, quantity: 7 } },
    });
    assert.equal(other.body.data?.publishOffer ?? null, null);
    assert.equal(other.body.errors[0].extensions.code, 'CONFLICT');
    assert.match(other.body.errors[0].message, new RegExp(key));

    const page = await client.data(
      `query ($id: ID!) { restaurant(id: $id) { offers(first: 50) { edges { node { title } } } } }`,
      { token: store.accessToken, variables: { id: store.restaurant.id } });
    const keyed = page.restaurant.offers.edges.filter((edge) => edge.node.title === 'Keyed bag');
    assert.equal(keyed.length, 1);
  });

  // The key travels in an HTTP header, where a line break would end it and let the rest
  // pass as further headers or a whole request on a pooled connection.
  test('idempotency keys with line breaks or spaces are refused', async () => {
    const smuggle = 'k\r\nContent-Length: 0\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nX-Pad: ';
    for (const key of [smuggle, 'a\nb', ' leading', 'in side', '']) {
      const publish = await client.request(PUBLISH_OFFER, {
        token: store.accessToken,
        variables: { input: offerInput(store, { title: 'Refused key', idempotencyKey: key }) },
      });
      assert.equal(publish.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(key));
      assert.match(publish.body.errors[0].message, /idempotencyKey/);

      const order = await client.request(PLACE_ORDER, {
        token: customer.accessToken,
        variables: { input: { offerId: offer.id, quantity: 1, idempotencyKey: key } },
      });
      assert.equal(order.body.errors?.[0]?.extensions?.code, 'BAD_USER_INPUT', JSON.stringify(key));
    }
    // The next callers still get their own responses.
    const me = await client.data('{ me { displayName } }', { token: customer.accessToken });
    assert.equal(me.me.displayName, 'Nina');
    const page = await client.data(
      `query ($id: ID!) { restaurant(id: $id) { offers(first: 50) { edges { node { title } } } } }`,
      { token: store.accessToken, variables: { id: store.restaurant.id } });
    assert.equal(page.restaurant.offers.edges.filter((edge) => edge.node.title === 'Refused key').length, 0);
  });

  test('customer finds the offer near', async () => {
    const data = await client.data(
      `query ($near: GeoPointInput!) {
        offers(near: $near, radiusKm: 2, first: 10) {
          edges { cursor node { id title distanceKm restaurant { id name location { latitude } } } }
          pageInfo { hasNextPage endCursor }
        }
      }`,
      { token: customer.accessToken, variables: { near: { latitude: 52.501, longitude: 13.4 } } });
    const edge = data.offers.edges.find((candidate) => candidate.node.id === offer.id);
    assert.ok(edge, `offer ${offer.id} is not in ${JSON.stringify(data.offers)}`);
    assert.equal(edge.node.restaurant.name, 'Kiez Bakery');
    assert.equal(edge.node.restaurant.location.latitude, kCentre.latitude);
    assert.ok(edge.node.distanceKm > 0.1, `distanceKm ${edge.node.distanceKm}`);
    assert.ok(edge.node.distanceKm < 0.2, `distanceKm ${edge.node.distanceKm}`);
    assert.equal(typeof edge.cursor, 'string');
  });

  test('customer places an order and sees it', async (t) => {
    if (!requireOrders(t)) return;
    const key = randomUUID();
    const placed = await client.data(PLACE_ORDER, {
      token: customer.accessToken,
      variables: { input: { offerId: offer.id, quantity: 2, idempotencyKey: key } },
    });
    const order = placed.placeOrder;
    assert.equal(order.status, 'CONFIRMED');
    assert.deepEqual(order.total, { amount: 600, currency: 'EUR' });
    assert.equal(order.restaurant.name, 'Kiez Bakery');
    assert.match(order.pickupCode, /^\S+$/);

    const retried = await client.data(PLACE_ORDER, {
      token: customer.accessToken,
      variables: { input: { offerId: offer.id, quantity: 2, idempotencyKey: key } },
    });
    assert.equal(retried.placeOrder.id, order.id);

    const mine = await client.data(
      `{ orders(first: 5) { edges { node { id status restaurant { name } lines { offer { title } } } } } }`,
      { token: customer.accessToken });
    const listed = mine.orders.edges.map((edge) => edge.node);
    assert.equal(listed.length, 1);
    assert.equal(listed[0].id, order.id);
    assert.equal(listed[0].lines[0].offer.title, 'Surprise bag');

    const read = await client.data(`query ($id: ID!) { order(id: $id) { id pickupCode } }`,
                                   { token: customer.accessToken, variables: { id: order.id } });
    assert.equal(read.order.pickupCode, order.pickupCode);

    const left = await client.data(`query ($id: ID!) { offer(id: $id) { quantityAvailable } }`,
                                   { variables: { id: offer.id } });
    assert.equal(left.offer.quantityAvailable, 3);
  });

  test('another customer cannot read the order', async (t) => {
    if (!requireOrders(t)) return;
    const placed = await client.data(PLACE_ORDER, {
      token: customer.accessToken,
      variables: { input: { offerId: offer.id, quantity: 1, idempotencyKey: randomUUID() } },
    });
    const stranger = await register('CUSTOMER', 'Stranger');
    const { body } = await client.request(
      `query ($id: ID!) { order(id: $id) { id pickupCode } }`,
      { token: stranger.accessToken, variables: { id: placed.placeOrder.id } });
    assert.equal(body.data.order, null);
    assert.equal(body.errors?.[0]?.extensions?.code, 'FORBIDDEN', JSON.stringify(body));
    assert.deepEqual(body.errors[0].path, ['order']);
  });

  test('store confirms pickup and customer rates', async (t) => {
    if (!requireOrders(t)) return;
    const placed = await client.data(PLACE_ORDER, {
      token: customer.accessToken,
      variables: { input: { offerId: offer.id, quantity: 1, idempotencyKey: randomUUID() } },
    });
    const order = placed.placeOrder;
    const collected = await client.data(
      `mutation ($id: ID!, $code: String!) { confirmPickup(orderId: $id, pickupCode: $code) { status } }`,
      { token: store.accessToken, variables: { id: order.id, code: order.pickupCode } });
    assert.equal(collected.confirmPickup.status, 'COLLECTED');

    const rated = await client.data(
      `mutation ($id: ID!) { rateOrder(input: {orderId: $id, stars: 5, comment: "Lovely"}) { stars } }`,
      { token: customer.accessToken, variables: { id: order.id } });
    assert.equal(rated.rateOrder.stars, 5);
  });

  test('sold out order is REJECTED', async (t) => {
    if (!requireOrders(t)) return;
    const single = await publishOffer(store, { quantity: 1, title: 'Last bag' });
    const first = await client.data(PLACE_ORDER, {
      token: customer.accessToken,
      variables: { input: { offerId: single.id, quantity: 1, idempotencyKey: randomUUID() } },
    });
    assert.equal(first.placeOrder.status, 'CONFIRMED');

    const other = await register('CUSTOMER', 'Late');
    const { body } = await client.request(PLACE_ORDER, {
      token: other.accessToken,
      variables: { input: { offerId: single.id, quantity: 1, idempotencyKey: randomUUID() } },
    });
    if (body.errors) {
      assert.equal(body.errors[0].extensions.code, 'SOLD_OUT');
    } else {
      assert.equal(body.data.placeOrder.status, 'REJECTED');
      assert.equal(body.data.placeOrder.rejection.code, 'SOLD_OUT');
    }
  });

  test('store cannot change another store offer', async () => {
    const rival = await storeWithRestaurant('Rival Bakery', { latitude: 52.51, longitude: 13.41 });
    const { body } = await client.request(
      `mutation ($id: ID!) { updateOffer(id: $id, input: {title: "Mine now"}) { id } }`,
      { token: rival.accessToken, variables: { id: offer.id } });
    assert.equal(body.errors[0].extensions.code, 'FORBIDDEN');
    assert.deepEqual(body.errors[0].path, ['updateOffer']);
  });

  test('products, inventory and favourites', async () => {
    const created = await client.data(
      `mutation ($restaurantId: ID!) {
        createProduct(restaurantId: $restaurantId, input: {
          name: "Rye loaf", category: "bread", price: {amount: 450, currency: "EUR"}
        }) { id name restaurant { name } }
      }`,
      { token: store.accessToken, variables: { restaurantId: store.restaurant.id } });
    const product = created.createProduct;
    assert.equal(product.restaurant.name, 'Kiez Bakery');

    const stock = await client.data(
      `mutation ($restaurantId: ID!, $productId: ID!) {
        setInventory(input: {restaurantId: $restaurantId, productId: $productId, quantity: 7}) {
          quantity product { name }
        }
      }`,
      { token: store.accessToken,
        variables: { restaurantId: store.restaurant.id, productId: product.id } });
    assert.equal(stock.setInventory.quantity, 7);
    assert.equal(stock.setInventory.product.name, 'Rye loaf');

    const inventory = await client.data(
      `query ($id: ID!) { restaurant(id: $id) {
        products { edges { node { id } } }
        inventory { edges { node { productId quantity } } }
      } }`,
      { token: store.accessToken, variables: { id: store.restaurant.id } });
    assert.deepEqual(inventory.restaurant.products.edges.map((edge) => edge.node.id), [product.id]);
    assert.deepEqual(inventory.restaurant.inventory.edges.map((edge) => edge.node),
                     [{ productId: product.id, quantity: 7 }]);

    const added = await client.data(
      `mutation ($id: ID!) { addFavorite(restaurantId: $id) { name } }`,
      { token: customer.accessToken, variables: { id: store.restaurant.id } });
    assert.equal(added.addFavorite.name, 'Kiez Bakery');
    const favourites = await client.data('{ me { favorites { edges { node { id } } } } }',
                                         { token: customer.accessToken });
    assert.deepEqual(favourites.me.favorites.edges.map((edge) => edge.node.id), [store.restaurant.id]);
    const removed = await client.data(
      `mutation ($id: ID!) { removeFavorite(restaurantId: $id) }`,
      { token: customer.accessToken, variables: { id: store.restaurant.id } });
    assert.equal(removed.removeFavorite, true);
  });

  test('customer cannot publish offers', async () => {
    const { body } = await client.request(
      `mutation ($input: PublishOfferInput!) { publishOffer(input: $input) { id } }`,
      {
        token: customer.accessToken,
        variables: {
          input: {
            restaurantId: store.restaurant.id, title: 'x', category: 'bread',
            price: { amount: 1, currency: 'EUR' }, originalValue: { amount: 2, currency: 'EUR' },
            quantity: 1,
            pickupWindow: { start: new Date(Date.now() + 3600e3).toISOString(),
                            end: new Date(Date.now() + 7200e3).toISOString() },
          },
        },
      });
    assert.equal(body.errors[0].extensions.code, 'FORBIDDEN');
  });
});

describe('batching', () => {
  test('a page of offers loads its restaurants in one call', async () => {
    const near = { latitude: 48.1, longitude: 11.5 };
    for (let i = 0; i < 3; i += 1) {
      const store = await storeWithRestaurant(`Batch Store ${i}`,
                                              { latitude: near.latitude + i * 0.001, longitude: near.longitude });
      await publishOffer(store, { title: `Bag ${i}a` });
      await publishOffer(store, { title: `Bag ${i}b` });
    }
    const internalCalls = () => stack.orders.requestLog()
      .filter((line) => line.path === '/internal/restaurants').length;
    const before = internalCalls();

    const data = await client.data(
      `query ($near: GeoPointInput!) {
        offers(near: $near, radiusKm: 3, first: 20) { edges { node { title restaurant { name } } } }
      }`,
      { variables: { near } });
    assert.equal(data.offers.edges.length, 6);
    for (const edge of data.offers.edges) {
      assert.match(edge.node.restaurant.name, /^Batch Store \d$/);
    }
    // The orders service logs a request after sending its response, so the line can reach
    // the log file after the gateway has sent its own. Wait up to 2 s for it, then count.
    for (let waited = 0; internalCalls() - before < 1 && waited < 2000; waited += 20) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    assert.equal(internalCalls() - before, 1);
  });

  test('cursors page through the offers', async () => {
    const near = { latitude: 48.1, longitude: 11.5 };
    const QUERY = `query ($near: GeoPointInput!, $after: String) {
      offers(near: $near, radiusKm: 3, first: 4, after: $after) {
        edges { cursor node { id } } pageInfo { hasNextPage endCursor }
      }
    }`;
    const first = await client.data(QUERY, { variables: { near } });
    assert.equal(first.offers.edges.length, 4);
    assert.equal(first.offers.pageInfo.hasNextPage, true);
    const second = await client.data(QUERY, { variables: { near, after: first.offers.pageInfo.endCursor } });
    assert.equal(second.offers.edges.length, 2);
    assert.equal(second.offers.pageInfo.hasNextPage, false);
    const fromSecondEdge = await client.data(QUERY, { variables: { near, after: first.offers.edges[1].cursor } });
    assert.deepEqual(fromSecondEdge.offers.edges.map((edge) => edge.node.id),
                     [...first.offers.edges.slice(2), ...second.offers.edges].map((edge) => edge.node.id));
  });
});

describe('limits and protocol', () => {
  test('an id with a slash is refused before any service call', async () => {
    const { body } = await client.request('{ offer(id: "../../etc/passwd") { id } }');
    assert.equal(body.data.offer, null);
    assert.equal(body.errors.length, 1);
    assert.equal(body.errors[0].extensions.code, 'BAD_USER_INPUT');
    assert.equal(body.errors[0].message,
                 '"../../etc/passwd" is not an id: ids contain no \'/\' and are not \'.\' or ' +
                 '\'..\'; use an id that a query returned');
  });

  test('deeply nested JSON is rejected before parsing', async () => {
    const depth = 100000;
    const body = `{"query":"{ __typename }","variables":{"v":${'['.repeat(depth)}${']'.repeat(depth)}}}`;
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body,
    });
    assert.equal(response.status, 400);
    const answer = await response.json();
    assert.match(answer.errors[0].message, /deeper than 128 levels/);
    // The gateway is still serving.
    assert.equal((await client.data('{ __typename }')).__typename, 'Query');
  });

  test('depth limit names limit and value', async () => {
    const { status, body } = await client.request(
      `{ offers(near: {latitude: 1, longitude: 1}) { edges { node { restaurant { offers { edges {
          node { restaurant { offers { edges { node { restaurant { name } } } } } } } } } } } } }`);
    assert.equal(status, 400);
    assert.equal(body.data, undefined);
    const error = body.errors.find((candidate) => candidate.extensions?.limit === 'max_depth');
    assert.ok(error, JSON.stringify(body.errors));
    assert.equal(error.extensions.code, 'LIMIT_EXCEEDED');
    assert.equal(error.extensions.maximum, 12);
  });

  test('alias and root field limits', async () => {
    const aliases = Array.from({ length: 31 }, (_, i) => `a${i}: __typename`).join(' ');
    const { body } = await client.request(`{ ${aliases} }`);
    const limits = body.errors.map((error) => error.extensions.limit);
    assert.ok(limits.includes('max_aliases'), JSON.stringify(body.errors));
    assert.ok(limits.includes('max_root_fields'), JSON.stringify(body.errors));
  });

  test('cost limit', async () => {
    // Three nested lists of the default size 20: about 20 * 20 * 20 * 4 fields.
    const { body } = await client.request(
      `{ restaurants { edges { node { offers { edges { node {
          restaurant { offers { edges { node { id title } } } } } } } } } } }`);
    const error = body.errors?.find((candidate) => candidate.extensions?.limit === 'max_cost');
    assert.ok(error, JSON.stringify(body));
    assert.equal(error.extensions.maximum, 20000);
  });

  test('mutation over GET is 405', async () => {
    const url = new URL(stack.graphqlUrl);
    url.searchParams.set('query', 'mutation { logout(refreshToken: "x") }');
    const response = await fetch(url);
    assert.equal(response.status, 405);
    assert.equal(response.headers.get('allow'), 'POST');
  });

  test('query over GET', async () => {
    const url = new URL(stack.graphqlUrl);
    url.searchParams.set('query', '{ __typename }');
    const response = await fetch(url, { headers: { accept: 'application/json' } });
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { data: { __typename: 'Query' } });
  });

  test('body size limit is 413', async () => {
    const response = await fetch(stack.graphqlUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ query: `{ __typename } # ${'x'.repeat(2 * 1024 * 1024)}` }),
    });
    assert.equal(response.status, 413);
  });

  test('CORS for allowed origins only', async () => {
    const allowed = await fetch(stack.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: 'http://localhost:4000', 'access-control-request-method': 'POST' },
    });
    assert.equal(allowed.status, 204);
    assert.equal(allowed.headers.get('access-control-allow-origin'), 'http://localhost:4000');
    assert.match(allowed.headers.get('access-control-allow-headers'), /Authorization/);

    const denied = await fetch(stack.graphqlUrl, {
      method: 'OPTIONS',
      headers: { origin: 'http://evil.example', 'access-control-request-method': 'POST' },
    });
    assert.equal(denied.status, 403);
    assert.equal(denied.headers.get('access-control-allow-origin'), null);
  });

  test('GraphiQL for browsers', async () => {
    const page = await fetch(stack.graphqlUrl, {
      headers: { accept: 'text/html,application/xhtml+xml,*/*;q=0.8' },
    });
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /graphiql\.min\.js/);
    assert.doesNotMatch(html, /https?:\/\//);
    for (const asset of ['graphiql.min.js', 'graphiql.min.css', 'react.production.min.js',
                         'react-dom.production.min.js', 'start.js']) {
      const response = await fetch(new URL(`/graphiql/${asset}`, stack.graphqlUrl));
      assert.equal(response.status, 200, asset);
    }
  });
});

describe('configuration', () => {
  test('introspection can be switched off', async () => {
    const gateway = await stack.startGateway({ GRAPHQL_INTROSPECTION: 'false' });
    const closed = new GraphQLClient(`${gateway.url}/graphql`);
    const { status, body } = await closed.request('{ __schema { queryType { name } } }');
    assert.equal(status, 400);
    assert.equal(body.errors[0].extensions.code, 'INTROSPECTION_DISABLED');
    assert.deepEqual(await closed.data('{ __typename }'), { __typename: 'Query' });

    const open = await client.data('{ __schema { queryType { name } } }');
    assert.equal(open.__schema.queryType.name, 'Query');
  });

  // The gateway keeps parsed documents by query text. A cached document must still run
  // the operation and variables of each request, and a document that failed validation
  // must fail again.
  test('a repeated query text runs each request', async () => {
    const text = `query Near($near: GeoPointInput!) {
        offers(near: $near, radiusKm: 3, first: 20) { edges { node { title } } }
      }
      query Kind { __typename }`;
    const post = async (operationName, variables) => {
      const response = await fetch(stack.graphqlUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ query: text, operationName, variables }),
      });
      assert.equal(response.status, 200);
      const body = await response.json();
      assert.equal(body.errors, undefined, JSON.stringify(body.errors));
      return body.data;
    };
    const hits = async () => {
      const metrics = await (await fetch(new URL('/metrics', stack.graphqlUrl))).text();
      const line = metrics.split('\n')
        .find((row) => row.startsWith('gateway_document_cache_lookups_total{result="hit"}'));
      return line === undefined ? 0 : Number(line.split(' ')[1]);
    };
    const hitsBefore = await hits();
    const nowhere = { latitude: -60.5, longitude: -170.5 };
    for (let round = 0; round < 2; round += 1) {
      assert.deepEqual(await post('Kind'), { __typename: 'Query' });
      assert.equal((await post('Near', { near: nowhere })).offers.edges.length, 0);
      assert.equal((await post('Near', { near: { latitude: 48.1, longitude: 11.5 } }))
        .offers.edges.length, 6);
    }
    assert.ok(await hits() - hitsBefore >= 5, 'the repeated text was parsed again');

    for (let round = 0; round < 2; round += 1) {
      const { status, body } = await client.request('{ offers { notAField } }');
      assert.equal(status, 400);
      assert.equal(body.errors[0].extensions.code, 'GRAPHQL_VALIDATION_FAILED');
    }
  });

  test('request timeout gives UNAVAILABLE', async () => {
    const gateway = await stack.startGateway({ GRAPHQL_REQUEST_TIMEOUT: '1ms' });
    const hurried = new GraphQLClient(`${gateway.url}/graphql`);
    const { status, body } = await hurried.request(
      '{ restaurants(first: 1) { edges { node { id } } } }');
    assert.equal(status, 200);
    assert.equal(body.data.restaurants, null);
    assert.equal(body.errors[0].extensions.code, 'UNAVAILABLE');
    assert.match(body.errors[0].message, /time/);
  });
});

// Last, because it stops the offers service.
describe('downstream failure', () => {
  // With one worker busy, the second request waits for it. Its timeout counts from its
  // arrival, so it ends about when the first does instead of a full timeout later.
  test('timeout includes the wait for a worker', async () => {
    const gateway = await stack.startGateway({
      GRAPHQL_REQUEST_TIMEOUT: '1s', HTTP_WORKER_THREADS: '1',
    });
    const hurried = new GraphQLClient(`${gateway.url}/graphql`);
    const query = '{ offers(near: {latitude: 52.5, longitude: 13.4}) { edges { node { id } } } }';
    const offersPid = stack.offers.child.pid;
    process.kill(offersPid, 'SIGSTOP');
    let first;
    let second;
    let secondSeconds;
    try {
      const sent = Date.now();
      [first, second] = await Promise.all([
        hurried.request(query),
        new Promise((resolve) => { setTimeout(resolve, 100); })
          .then(() => hurried.request(query))
          .then((response) => { secondSeconds = (Date.now() - sent) / 1000; return response; }),
      ]);
    } finally {
      process.kill(offersPid, 'SIGCONT');
    }

    assert.equal(first.body.errors[0].extensions.code, 'UNAVAILABLE');
    assert.equal(second.body.errors[0].extensions.code, 'UNAVAILABLE');
    // Without the arrival time the second request would end after about 2 s.
    assert.ok(secondSeconds < 1.7, `the second request took ${secondSeconds} s`);
  });

  // A change without an idempotency key that times out may still have been made, so the
  // message tells the client to read it back instead of retrying. A timed-out read may be
  // retried.
  test('timed-out change may have been made', async () => {
    const store = await storeWithRestaurant('Slow Bakery', kCentre);
    const gateway = await stack.startGateway({ GRAPHQL_REQUEST_TIMEOUT: '1s' });
    const hurried = new GraphQLClient(`${gateway.url}/graphql`);
    const start = new Date(Date.now() + 60 * 60 * 1000);
    const input = {
      restaurantId: store.restaurant.id,
      title: 'Bag published while offers stalls',
      category: 'bread',
      price: { amount: 300, currency: 'EUR' },
      originalValue: { amount: 900, currency: 'EUR' },
      quantity: 2,
      pickupWindow: {
        start: start.toISOString(),
        end: new Date(start.getTime() + 60 * 60 * 1000).toISOString(),
      },
    };

    const offersPid = stack.offers.child.pid;
    process.kill(offersPid, 'SIGSTOP');
    let change;
    let read;
    try {
      [change, read] = await Promise.all([
        hurried.request('mutation ($input: PublishOfferInput!) { publishOffer(input: $input) { id } }',
                        { token: store.accessToken, variables: { input } }),
        hurried.request('{ offers(near: {latitude: 52.5, longitude: 13.4}) { edges { node { id } } } }',
                        { token: store.accessToken }),
      ]);
    } finally {
      process.kill(offersPid, 'SIGCONT');
    }

    assert.equal(change.status, 200);
    assert.equal(change.body.errors[0].extensions.code, 'UNAVAILABLE');
    assert.deepEqual(change.body.errors[0].path, ['publishOffer']);
    assert.equal(change.body.errors[0].message,
                 'the offers service did not respond in time, so the change may or may not have ' +
                 'been made; read it back before you retry');
    assert.equal(read.body.errors[0].extensions.code, 'UNAVAILABLE');
    assert.match(read.body.errors[0].message, /did not respond in time; retry later$/);
  });

  test('stopped service is UNAVAILABLE, rest arrives', async () => {
    const customer = await register('CUSTOMER', 'Uma');
    await stack.offers.stop();
    const { status, body } = await client.request(
      `{ me { email } offers(near: {latitude: 52.5, longitude: 13.4}) { edges { node { id } } } }`,
      { token: customer.accessToken });
    assert.equal(status, 200);
    assert.equal(body.data.me.email, customer.email);
    assert.equal(body.data.offers, null);
    assert.equal(body.errors.length, 1);
    assert.equal(body.errors[0].extensions.code, 'UNAVAILABLE');
    assert.deepEqual(body.errors[0].path, ['offers']);
  });
});

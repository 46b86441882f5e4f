// Helpers shared by the subscription tests: accounts, offers and the `Live` collector of a
// graphql-ws subscription. Each helper that calls the API takes the GraphQLClient to use.
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';

const kPassword = 'correct horse battery staple';

export async function register(http, role, name) {
  const email = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${randomUUID()}@example.test`;
  const data = await http.data(
    `mutation ($input: RegisterInput!) {
      register(input: $input) { accessToken refreshToken user { id } }
    }`,
    { variables: { input: { email, password: kPassword, displayName: name, role } } });
  return data.register;
}

// A STORE account with a restaurant at `location`, holding a token that lists it.
export async function storeWithRestaurant(http, name, location) {
  const store = await register(http, 'STORE', name);
  const created = await http.data(
    `mutation ($input: CreateRestaurantInput!) { createRestaurant(input: $input) { id name } }`,
    {
      token: store.accessToken,
      variables: { input: { name, category: 'BAKERY', address: `${name} Street 1`, location } },
    });
  // The access token lists the restaurants of its user when it was issued.
  const refreshed = await http.data(
    `mutation ($token: String!) { refreshToken(refreshToken: $token) { accessToken } }`,
    { variables: { token: store.refreshToken } });
  return { ...store, accessToken: refreshed.refreshToken.accessToken, restaurant: created.createRestaurant };
}

export async function publishOffer(http, store, title) {
  const start = new Date(Date.now() + 60 * 60 * 1000);
  const end = new Date(start.getTime() + 2 * 60 * 60 * 1000);
  const data = await http.data(
    `mutation ($input: PublishOfferInput!) { publishOffer(input: $input) { id } }`,
    {
      token: store.accessToken,
      variables: {
        input: {
          restaurantId: store.restaurant.id,
          title,
          category: 'bread',
          price: { amount: 300, currency: 'EUR' },
          originalValue: { amount: 900, currency: 'EUR' },
          quantity: 5,
          pickupWindow: { start: start.toISOString(), end: end.toISOString() },
        },
      },
    });
  return data.publishOffer;
}

// Collects what one subscription receives, for assertions with a deadline.
export class Live {
  constructor(graphqlClient, query, variables = {}) {
    this.results = [];
    this.errors = null;
    this.completed = false;
    this.dispose = graphqlClient.subscribe({ query, variables }, {
      next: (result) => this.results.push(result),
      error: (error) => { this.errors = error; },
      complete: () => { this.completed = true; },
    });
  }

  // Resolves with the first result that `predicate` accepts, or fails after `ms`.
  async next(description, predicate, ms = 15000) {
    const deadline = Date.now() + ms;
    for (;;) {
      const found = this.results.find(predicate);
      if (found) {
        return found;
      }
      if (this.errors) {
        throw new Error(`${description}: the subscription failed with ${JSON.stringify(this.errors)}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`${description}: not received within ${ms} ms; got ${JSON.stringify(this.results)}`);
      }
      await new Promise((done) => setTimeout(done, 25));
    }
  }

  // Resolves once `count` results arrived, or fails after `ms`.
  async received(description, count, ms = 15000) {
    await this.next(description, () => this.results.length >= count, ms);
  }

  // Resolves with the errors of an `error` message, or fails after `ms`.
  async failure(ms = 15000) {
    const deadline = Date.now() + ms;
    while (!this.errors) {
      if (this.completed || this.results.length > 0) {
        throw new Error(`expected an error, got ${JSON.stringify(this.results)} (completed: ${this.completed})`);
      }
      if (Date.now() > deadline) {
        throw new Error(`no error within ${ms} ms`);
      }
      await new Promise((done) => setTimeout(done, 25));
    }
    return this.errors;
  }
}

// The gateway handles the messages of one connection in order, and a subscription is
// active once the notifications service confirmed its channel. A query sent after it on the
// same connection therefore returns only after the subscription is active.
export async function settled(graphqlClient) {
  const iterator = graphqlClient.iterate({ query: '{ __typename }' });
  const { value } = await iterator.next();
  assert.deepEqual(value, { data: { __typename: 'Query' } });
  await iterator.return?.();
}

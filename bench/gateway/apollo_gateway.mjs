// The Node.js peer of the C++ gateway in bench/gateway/run: Apollo Server 4 (standalone)
// over the same SDL file, services/gateway/schema.graphql, with resolvers for the fields
// that the benchmark's two operations use (offers near a point with their restaurants, and
// placeOrder). Per request, a DataLoader batches the restaurant lookups into one call to
// GET /internal/restaurants?ids=..., as the C++ gateway's loader does. Service calls go
// through undici keep-alive pools and carry the caller's Authorization header, so the
// services decide what the caller may do, as behind the C++ gateway.
//
// Usage: node bench/gateway/apollo_gateway.mjs PORT
// Environment: ORDERS_URL, OFFERS_URL, SERVICE_SECRET (as for surplus-gateway),
// DOWNSTREAM_CONNECTIONS (connections per service, 64 as GRAPHQL_DOWNSTREAM_CONNECTIONS).
// Prints "listening on URL" once it accepts requests; SIGTERM stops it.
import { readFileSync } from 'node:fs';

import { ApolloServer } from '@apollo/server';
import { startStandaloneServer } from '@apollo/server/standalone';
import DataLoader from 'dataloader';
import { GraphQLError } from 'graphql';
import { Pool } from 'undici';

const kSchemaFile = new URL('../../services/gateway/schema.graphql', import.meta.url);
const kMaxIdsPerCall = 100;  // the limit of the services' batch endpoints
const kMaxPageSize = 100;

function requiredEnv(name) {
  const value = process.env[name];
  if (!value) {
    throw new Error(`${name} is not set; set it to the value surplus-gateway gets`);
  }
  return value;
}

const port = Number(process.argv[2]);
if (!Number.isInteger(port) || port <= 0 || port > 65535) {
  throw new Error(`expected a port number as the first argument, got ${process.argv[2]}`);
}
const connections = Number(process.env.DOWNSTREAM_CONNECTIONS ?? 64);
const services = {
  orders: new Pool(requiredEnv('ORDERS_URL'), { connections }),
  offers: new Pool(requiredEnv('OFFERS_URL'), { connections }),
};
const serviceSecret = requiredEnv('SERVICE_SECRET');

// The GraphQL error for a service's problem+json `code`, mapped as the C++ gateway maps it.
function fieldError(service, status, text) {
  let problem = {};
  try {
    problem = JSON.parse(text);
  } catch {
    // Not problem+json: the status decides below.
  }
  const passed = ['UNAUTHENTICATED', 'FORBIDDEN', 'NOT_FOUND', 'CONFLICT', 'SOLD_OUT', 'RATE_LIMITED'];
  let code = problem.code;
  if (code === 'VALIDATION_FAILED' || code === 'BAD_REQUEST') {
    code = 'BAD_USER_INPUT';
  } else if (['LIMIT_EXCEEDED', 'OFFER_NOT_ACTIVE', 'INSUFFICIENT_INVENTORY'].includes(code)) {
    code = 'CONFLICT';
  } else if (code === 'UNAVAILABLE' || code === 'TIMEOUT' || (!code && status >= 500)) {
    return new GraphQLError(`the ${service} service is unavailable; retry later`,
                            { extensions: { code: 'UNAVAILABLE' } });
  } else if (!passed.includes(code)) {
    code = 'INTERNAL';
  }
  return new GraphQLError(problem.detail ?? `the ${service} service returned status ${status}`,
                          { extensions: { code } });
}

// Calls a service and returns its JSON body; throws a GraphQLError for a failure.
async function call(service, { method = 'GET', path, headers = {}, body }) {
  let response;
  try {
    response = await services[service].request({
      method,
      path,
      headers: { accept: 'application/json', ...headers },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (error) {
    throw new GraphQLError(`the ${service} service is unavailable: ${error.message}; retry later`,
                           { extensions: { code: 'UNAVAILABLE' } });
  }
  const text = await response.body.text();
  if (response.statusCode < 200 || response.statusCode > 299) {
    throw fieldError(service, response.statusCode, text);
  }
  return text ? JSON.parse(text) : null;
}

function callerHeaders(context) {
  return context.authorization ? { authorization: context.authorization } : {};
}

// "pickupTime" or "bakery" as the enum value PICKUP_TIME or BAKERY.
function toEnumValue(text) {
  return text.replace(/([a-z])([A-Z])/g, '$1_$2').replaceAll('-', '_').toUpperCase();
}

// PICKUP_TIME as the service's "pickupTime".
function enumToCamel(value) {
  return value.toLowerCase().replace(/_([a-z])/g, (_, letter) => letter.toUpperCase());
}

function restaurantNode(restaurant) {
  if (restaurant === null || typeof restaurant !== 'object') {
    return restaurant;
  }
  const { staffUserIds, ...node } = restaurant;
  node.location = { latitude: restaurant.latitude ?? 0, longitude: restaurant.longitude ?? 0 };
  if (typeof restaurant.category === 'string') {
    node.category = toEnumValue(restaurant.category);
  }
  return node;
}

function encodeCursor(serviceAfter, skip) {
  return Buffer.from(JSON.stringify({ a: serviceAfter ?? null, s: skip })).toString('base64url');
}

function badAfter() {
  return new GraphQLError(
    'argument "after" is not a cursor of this list; pass a cursor from pageInfo.endCursor or an edge',
    { extensions: { code: 'BAD_USER_INPUT', argument: 'after' } });
}

// The page that a connection field requests, with the cursor format of the C++ gateway.
function pageRequest({ first, after }) {
  const page = { first: first ?? 20, skip: 0, serviceAfter: null };
  if (page.first < 1 || page.first > kMaxPageSize) {
    throw new GraphQLError(`argument "first" must be 1 to 100, got ${page.first}`,
                           { extensions: { code: 'BAD_USER_INPUT', argument: 'first' } });
  }
  if (after === undefined || after === null) {
    return page;
  }
  let cursor;
  try {
    cursor = JSON.parse(Buffer.from(after, 'base64url').toString('utf8'));
  } catch {
    throw badAfter();
  }
  if (cursor === null || typeof cursor !== 'object' || !Number.isInteger(cursor.s) || cursor.s < 0 ||
      cursor.s > kMaxPageSize || !(typeof cursor.a === 'string' || cursor.a === null)) {
    throw badAfter();
  }
  page.serviceAfter = cursor.a;
  page.skip = cursor.s;
  return page;
}

function pageQuery(page) {
  const query = new URLSearchParams({ first: String(Math.min(kMaxPageSize, page.first + page.skip)) });
  if (page.serviceAfter !== null) {
    query.set('after', page.serviceAfter);
  }
  return query;
}

function makeConnection(result, page) {
  const items = result?.items ?? [];
  const next = typeof result?.nextCursor === 'string' ? result.nextCursor : null;
  const end = Math.min(items.length, page.skip + page.first);
  const edges = [];
  for (let index = page.skip; index < end; index += 1) {
    const lastOfServicePage = index + 1 === items.length;
    const cursor = lastOfServicePage && next !== null ? encodeCursor(next, 0)
                                                      : encodeCursor(page.serviceAfter, index + 1);
    edges.push({ node: items[index], cursor });
  }
  return {
    edges,
    pageInfo: {
      hasNextPage: end < items.length || next !== null,
      hasPreviousPage: page.serviceAfter !== null || page.skip > 0,
      startCursor: edges.length ? edges[0].cursor : null,
      endCursor: edges.length ? edges[edges.length - 1].cursor : null,
    },
  };
}

function addOfferFilter(query, filter) {
  if (!filter) {
    return;
  }
  if (typeof filter.category === 'string') {
    query.set('category', filter.category);
  }
  if (Array.isArray(filter.dietaryTags) && filter.dietaryTags.length) {
    query.set('dietaryTags', filter.dietaryTags.join(','));
  }
  if (filter.maxPrice) {
    query.set('maxPrice', String(filter.maxPrice.amount));
    query.set('currency', filter.maxPrice.currency);
  }
  for (const name of ['pickupFrom', 'pickupTo']) {
    if (typeof filter[name] === 'string') {
      query.set(name, filter[name]);
    }
  }
  if (filter.inStock) {
    query.set('inStock', 'true');
  }
}

// One call per 100 ids, concurrently; null for ids the service did not return.
async function loadRestaurants(ids) {
  const calls = [];
  for (let begin = 0; begin < ids.length; begin += kMaxIdsPerCall) {
    const chunk = ids.slice(begin, begin + kMaxIdsPerCall).map(encodeURIComponent).join(',');
    calls.push(call('orders', {
      path: `/internal/restaurants?ids=${chunk}`,
      headers: { 'x-service-secret': serviceSecret },
    }));
  }
  const byId = new Map();
  for (const page of await Promise.all(calls)) {
    for (const restaurant of page?.items ?? []) {
      byId.set(restaurant.id, restaurantNode(restaurant));
    }
  }
  return ids.map((id) => byId.get(id) ?? null);
}

function restaurantOf(parent, _, context) {
  return parent.restaurantId ? context.restaurants.load(parent.restaurantId) : null;
}

const resolvers = {
  Query: {
    async offers(_, args, context) {
      const page = pageRequest(args);
      const query = new URLSearchParams({
        latitude: String(args.near.latitude),
        longitude: String(args.near.longitude),
      });
      if (args.radiusKm !== null && args.radiusKm !== undefined) {
        query.set('radiusKm', String(args.radiusKm));
      }
      if (typeof args.sort === 'string') {
        query.set('sort', enumToCamel(args.sort));
      }
      addOfferFilter(query, args.filter);
      for (const [name, value] of pageQuery(page)) {
        query.set(name, value);
      }
      const result = await call('offers', { path: `/offers?${query}`, headers: callerHeaders(context) });
      return makeConnection(result, page);
    },
  },
  Mutation: {
    async placeOrder(_, { input }, context) {
      const body = { offerId: input.offerId, quantity: input.quantity, fulfilment: input.fulfilment ?? 'PICKUP' };
      if (input.deliveryAddress) {
        body.deliveryAddress = { ...input.deliveryAddress.location, address: input.deliveryAddress.address };
      }
      return call('orders', {
        method: 'POST',
        path: '/orders',
        headers: {
          ...callerHeaders(context),
          'content-type': 'application/json',
          'idempotency-key': input.idempotencyKey,
        },
        body,
      });
    },
  },
  Offer: { restaurant: restaurantOf },
  Order: { restaurant: restaurantOf },
};

const server = new ApolloServer({
  typeDefs: readFileSync(kSchemaFile, 'utf8'),
  resolvers,
  includeStacktraceInErrorResponses: false,
});

const { url } = await startStandaloneServer(server, {
  listen: { port, host: '127.0.0.1' },
  context: async ({ req }) => ({
    authorization: req.headers.authorization,
    restaurants: new DataLoader(loadRestaurants),
  }),
});
console.log(`listening on ${url}`);

process.once('SIGTERM', async () => {
  await server.stop();
  await Promise.all([services.orders.close(), services.offers.close()]);
  process.exit(0);
});

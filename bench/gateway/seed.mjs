// Seeds a city for bench/gateway/run through the C++ gateway: one STORE account with
// RESTAURANTS restaurants within 2 km of the centre, OFFERS_PER_RESTAURANT surprise bags of
// 10,000 units each (the offers service's maximum), and one CUSTOMER account. Prints JSON:
// the centre, the customer's access token, and the offer ids split into one group per
// target, so that each target's placeOrder load reserves its own offers.
//
// Usage: node bench/gateway/seed.mjs GRAPHQL_URL [RESTAURANTS] [OFFERS_PER_RESTAURANT]
import { randomUUID } from 'node:crypto';

import { postGraphQL } from './graphql_post.mjs';

const kCentre = { latitude: 52.52, longitude: 13.405 };
const kPassword = 'bench password of the gateway benchmark';
const kUnits = 10000;
const kTargets = ['gateway', 'direct', 'apollo'];

const [url, restaurantsArgument = '20', offersArgument = '3'] = process.argv.slice(2);
const restaurantCount = Number(restaurantsArgument);
const offersPerRestaurant = Number(offersArgument);
if (!url || !(restaurantCount > 0) || !(offersPerRestaurant > 0)) {
  throw new Error('usage: seed.mjs GRAPHQL_URL [RESTAURANTS] [OFFERS_PER_RESTAURANT]');
}

async function graphql(query, variables, token) {
  const { status, body } = await postGraphQL(url, query, variables, token);
  if (body.errors || !body.data) {
    throw new Error(`seeding failed with HTTP ${status}: ${JSON.stringify(body.errors ?? body)}`);
  }
  return body.data;
}

async function register(role) {
  const email = `bench-${role.toLowerCase()}-${randomUUID()}@example.test`;
  const data = await graphql(
    `mutation ($input: RegisterInput!) { register(input: $input) { accessToken refreshToken } }`,
    { input: { email, password: kPassword, displayName: `Bench ${role}`, role } });
  return data.register;
}

// The restaurants lie on a spiral around the centre, 0.3 to 2 km away.
function restaurantLocation(index) {
  const angle = index * 2.4;
  const km = 0.3 + (1.7 * index) / restaurantCount;
  return {
    latitude: kCentre.latitude + (km / 111.2) * Math.sin(angle),
    longitude: kCentre.longitude + (km / (111.2 * Math.cos((kCentre.latitude * Math.PI) / 180))) * Math.cos(angle),
  };
}

async function createRestaurants(store) {
  const created = await Promise.all(Array.from({ length: restaurantCount }, (_, index) => graphql(
    `mutation ($input: CreateRestaurantInput!) { createRestaurant(input: $input) { id } }`,
    {
      input: {
        name: `Bench Bakery ${index + 1}`,
        category: 'BAKERY',
        address: `Benchstrasse ${index + 1}`,
        location: restaurantLocation(index),
      },
    },
    store.accessToken)));
  return created.map((data) => data.createRestaurant.id);
}

async function publishOffers(token, restaurantIds) {
  const start = new Date(Date.now() + 60 * 60 * 1000);
  const end = new Date(start.getTime() + 4 * 60 * 60 * 1000);
  const publishes = [];
  for (const restaurantId of restaurantIds) {
    for (let index = 0; index < offersPerRestaurant; index += 1) {
      publishes.push(graphql(
        `mutation ($input: PublishOfferInput!) { publishOffer(input: $input) { id } }`,
        {
          input: {
            restaurantId,
            title: `Surprise bag ${index + 1}`,
            category: 'bread',
            dietaryTags: ['vegetarian'],
            price: { amount: 300 + 50 * index, currency: 'EUR' },
            originalValue: { amount: 900 + 150 * index, currency: 'EUR' },
            quantity: kUnits,
            pickupWindow: { start: start.toISOString(), end: end.toISOString() },
          },
        },
        token));
    }
  }
  return (await Promise.all(publishes)).map((data) => data.publishOffer.id);
}

const store = await register('STORE');
const restaurantIds = await createRestaurants(store);
// An access token lists its user's restaurants as they were when it was issued.
const refreshed = await graphql(
  `mutation ($token: String!) { refreshToken(refreshToken: $token) { accessToken } }`,
  { token: store.refreshToken });
const offerIds = await publishOffers(refreshed.refreshToken.accessToken, restaurantIds);
const customer = await register('CUSTOMER');

const groups = Object.fromEntries(kTargets.map((target) => [target, []]));
offerIds.forEach((id, index) => groups[kTargets[index % kTargets.length]].push(id));
console.log(JSON.stringify({ centre: kCentre, token: customer.accessToken, offerIds: groups }));

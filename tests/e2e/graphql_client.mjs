// A minimal GraphQL-over-HTTP client on fetch, as a browser or Node application would use.
export class GraphQLClient {
  constructor(url) {
    this.url = url;
  }

  // Sends one operation; returns {status, headers, body}. `token` becomes a Bearer header.
  async request(query, { variables, token, headers = {} } = {}) {
    const response = await fetch(this.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/graphql-response+json, application/json',
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...headers,
      },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    let body;
    try {
      body = JSON.parse(text);
    } catch {
      throw new Error(`${this.url} answered ${response.status} with a body that is not JSON: ${text}`);
    }
    return { status: response.status, headers: response.headers, body };
  }

  // Sends one operation and returns `data`; throws with the errors when there are any.
  async data(query, options) {
    const { status, body } = await this.request(query, options);
    if (body.errors) {
      throw new Error(`GraphQL errors (HTTP ${status}): ${JSON.stringify(body.errors)}`);
    }
    return body.data;
  }
}

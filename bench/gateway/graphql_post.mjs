// Sends one GraphQL request over HTTP for the benchmark's scripts, with the caller's token
// if any. Returns the status and the parsed JSON body.
export async function postGraphQL(url, query, variables, token) {
  const response = await fetch(url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      accept: 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, body: await response.json() };
}

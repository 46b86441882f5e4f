// The peer of the notifications benchmark: a minimal broadcast server on the `ws` package
// that speaks the subset of the notifications protocol the load client uses. Clients send
// {"type":"subscribe","channel":...} and get {"type":"subscribed",...}; POST
// /internal/events takes {"events":[envelope, ...]} and sends each event to the sockets of
// its channels as {"type":"event","channel":...,"offset":...,"event":envelope}. Nothing is
// stored, checked or authorized, so it does less work per event than the real service.
//
// Usage: node ws_server.mjs PORT
// Prints "listening PORT" once ready; POST /internal/gc runs a full garbage collection
// when node runs with --expose-gc, so memory is read without collectable garbage.
import http from 'node:http';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2]);
const channels = new Map(); // channel name -> Set of sockets
const offsets = new Map(); // channel name -> last offset

const wss = new WebSocketServer({ noServer: true, maxPayload: 16 * 1024 });

wss.on('connection', (socket) => {
  const subscribed = new Set();
  socket.on('message', (data, isBinary) => {
    if (isBinary) {
      socket.close(1003, 'binary messages are not accepted');
      return;
    }
    let message;
    try {
      message = JSON.parse(data.toString());
    } catch {
      socket.send(JSON.stringify({ type: 'error', code: 'BAD_REQUEST', message: 'invalid JSON' }));
      return;
    }
    if (message.type === 'subscribe' && typeof message.channel === 'string') {
      let sockets = channels.get(message.channel);
      if (!sockets) {
        sockets = new Set();
        channels.set(message.channel, sockets);
      }
      sockets.add(socket);
      subscribed.add(message.channel);
      const offset = offsets.get(message.channel) ?? 0;
      socket.send(
        JSON.stringify({ type: 'subscribed', channel: message.channel, recovered: false, offset }),
      );
    } else if (message.type === 'ping') {
      socket.send('{"type":"pong"}');
    }
  });
  socket.on('close', () => {
    for (const channel of subscribed) {
      const sockets = channels.get(channel);
      sockets?.delete(socket);
      if (sockets?.size === 0) {
        channels.delete(channel);
      }
    }
  });
});

function ingest(body) {
  const batch = JSON.parse(body);
  for (const envelope of batch.events) {
    const text = JSON.stringify(envelope);
    for (const channel of envelope.channels) {
      const offset = (offsets.get(channel) ?? 0) + 1;
      offsets.set(channel, offset);
      const sockets = channels.get(channel);
      if (!sockets) {
        continue;
      }
      const message = `{"type":"event","channel":${JSON.stringify(channel)},"offset":${offset},"event":${text}}`;
      for (const socket of sockets) {
        socket.send(message);
      }
    }
  }
  return batch.events.length;
}

const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    if (request.method === 'POST' && request.url === '/internal/events') {
      try {
        const accepted = ingest(Buffer.concat(chunks).toString());
        response.writeHead(200, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ accepted }));
      } catch (error) {
        response.writeHead(400, { 'content-type': 'application/json' });
        response.end(JSON.stringify({ error: String(error) }));
      }
    } else if (request.method === 'POST' && request.url === '/internal/gc') {
      globalThis.gc?.();
      response.writeHead(204);
      response.end();
    } else {
      response.writeHead(404);
      response.end();
    }
  });
});

server.on('upgrade', (request, socket, head) => {
  if (!request.url.startsWith('/ws')) {
    socket.destroy();
    return;
  }
  wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
});

server.maxConnections = 20000;
server.listen(port, '127.0.0.1', () => console.log(`listening ${server.address().port}`));

for (const signal of ['SIGTERM', 'SIGINT']) {
  process.on(signal, () => {
    for (const client of wss.clients) {
      client.terminate();
    }
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 2000).unref();
  });
}

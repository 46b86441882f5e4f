// Starts Surplus services as real processes on free loopback ports, each with its own
// SQLite database in a temporary folder, and stops them by pid.
//
// Binaries come from the environment: SURPLUS_ORDERS_BIN, SURPLUS_OFFERS_BIN,
// SURPLUS_NOTIFICATIONS_BIN and SURPLUS_GATEWAY_BIN (CTest sets them), or else
// build/dev/services/<name>/surplus-<name>.
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, createWriteStream, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const repository = resolve(new URL('../..', import.meta.url).pathname);

function binary(name) {
  const variable = `SURPLUS_${name.toUpperCase()}_BIN`;
  return process.env[variable] ? resolve(process.env[variable]) : join(repository, 'build/dev/services', name, `surplus-${name}`);
}

export async function freePort() {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolvePort(port));
    });
  });
}

async function waitUntilReady(url, child, seconds) {
  const deadline = Date.now() + seconds * 1000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) {
      throw new Error(`${url}: the process exited with status ${child.exitCode} before it was ready`);
    }
    try {
      const response = await fetch(`${url}/readyz`);
      if (response.status === 200) {
        return;
      }
    } catch {
      // Not listening yet.
    }
    await new Promise((done) => setTimeout(done, 100));
  }
  throw new Error(`${url}/readyz did not answer 200 within ${seconds} s`);
}

// One service process. `env` adds to the environment.
class ServiceProcess {
  constructor(name, directory, port, env) {
    this.name = name;
    this.url = `http://127.0.0.1:${port}`;
    this.logFile = join(directory, `${name}.log`);
    this.port = port;
    this.directory = directory;
    this.env = env;
  }

  // Runs `surplus-<name> --seed` with the service's environment and waits for it.
  seed() {
    const result = spawnSync(binary(this.name), ['--seed'], {
      cwd: this.directory,
      env: { ...process.env, ...this.env },
      encoding: 'utf8',
      timeout: 120000,
    });
    if (result.status !== 0) {
      throw new Error(`surplus-${this.name} --seed failed with ${result.status}: ${result.stderr}`);
    }
  }

  async start() {
    const log = createWriteStream(this.logFile, { flags: 'a' });
    this.child = spawn(binary(this.name), [], {
      cwd: this.directory,
      env: { ...process.env, PORT: String(this.port), LOG_LEVEL: 'info', ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout.pipe(log);
    this.child.stderr.pipe(log);
    this.exited = new Promise((done) => this.child.once('exit', done));
    await waitUntilReady(this.url, this.child, 60);
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null) {
      return;
    }
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 20000);
    await this.exited;
    clearTimeout(timer);
  }

  // The request lines the server logged, e.g. "GET /internal/restaurants 200".
  requestLog() {
    return readFileSync(this.logFile, 'utf8')
      .split('\n')
      .map((line) => line.match(/ (GET|POST|PUT|PATCH|DELETE) (\S+) (\d{3}) /))
      .filter(Boolean)
      .map(([, method, path, status]) => ({ method, path, status: Number(status) }));
  }
}

// Starts orders, offers and the gateway. `gatewayEnv` adds to the gateway's environment;
// `seed` loads the demo city first. With `notifications`, the notifications service runs too
// and the outbox relays of orders and offers deliver their events to it, so subscriptions
// see them. Without it nothing listens on its port.
export async function startStack({ gatewayEnv = {}, seed = false, notifications = false } = {}) {
  const directory = mkdtempSync(join(tmpdir(), 'surplus-e2e-'));
  const [ordersPort, offersPort, gatewayPort, notificationsPort] = await Promise.all([
    freePort(), freePort(), freePort(), freePort(),
  ]);
  const ordersUrl = `http://127.0.0.1:${ordersPort}`;
  const offersUrl = `http://127.0.0.1:${offersPort}`;
  const common = {
    SERVICE_SECRET: 'e2e-test-service-secret',
    ORDERS_URL: ordersUrl,
    OFFERS_URL: offersUrl,
    NOTIFICATIONS_URL: `http://127.0.0.1:${notificationsPort}`,
    NOTIFICATIONS_WS_URL: `ws://127.0.0.1:${notificationsPort}/ws`,
    OUTBOX_RELAY_ENABLED: notifications ? 'true' : 'false',
  };
  const orders = new ServiceProcess('orders', directory, ordersPort, {
    ...common,
    DATABASE_URL: `sqlite://${join(directory, 'orders.db')}`,
    ARGON2_OPS_LIMIT: '1',
    ARGON2_MEM_LIMIT: '64KiB',
  });
  const offers = new ServiceProcess('offers', directory, offersPort, {
    ...common,
    DATABASE_URL: `sqlite://${join(directory, 'offers.db')}`,
  });
  const notificationsService = notifications
    ? new ServiceProcess('notifications', directory, notificationsPort, {
      ...common,
      DATABASE_URL: `sqlite://${join(directory, 'notifications.db')}`,
    })
    : null;
  const gateway = new ServiceProcess('gateway', directory, gatewayPort, {
    ...common,
    ...gatewayEnv,
  });
  const extraGateways = [];
  const stack = {
    directory, orders, offers, gateway, notifications: notificationsService,
    graphqlUrl: `${gateway.url}/graphql`,
    websocketUrl: `ws://127.0.0.1:${gatewayPort}/graphql`,
    // Starts another gateway in front of the same services with `env` added.
    async startGateway(env) {
      const extra = new ServiceProcess('gateway', directory, await freePort(),
                                       { ...common, ...gatewayEnv, ...env });
      extra.logFile = join(directory, `gateway-${extraGateways.length + 2}.log`);
      extraGateways.push(extra);
      await extra.start();
      return extra;
    },
    async stop() {
      await Promise.all([gateway.stop(), offers.stop(), orders.stop(),
                         ...(notificationsService ? [notificationsService.stop()] : []),
                         ...extraGateways.map((extra) => extra.stop())]);
      if (!process.env.SURPLUS_E2E_KEEP) {
        rmSync(directory, { recursive: true, force: true });
      }
    },
  };
  try {
    if (seed) {
      orders.seed();
      offers.seed();
    }
    // Orders first: it writes the public key file that offers reads from the same folder.
    await orders.start();
    await Promise.all([offers.start(), gateway.start(),
                       ...(notificationsService ? [notificationsService.start()] : [])]);
  } catch (error) {
    await stack.stop();
    throw error;
  }
  return stack;
}

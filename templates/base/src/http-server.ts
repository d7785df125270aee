// Plain HTTP: the proxy in front of the app terminates TLS (see "Deploy" in README.md) and says so
// with X-Forwarded-Proto, which Express believes only from the addresses TRUST_PROXY names.
import http from 'node:http';
import type { RequestListener, Server } from 'node:http';

// server.ts passes the config too: the app's own TLS (no proxy in front) needs it; plain HTTP does not.
export function createHttpServer(app: RequestListener, config?: unknown): { server: Server; protocol: string };
export function createHttpServer(app: RequestListener): { server: Server; protocol: string } {
  return { server: http.createServer(app), protocol: 'http' };
}

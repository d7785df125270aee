// Plain HTTP: the proxy in front of the app terminates TLS (see "Deploy" in README.md) and says so
// with X-Forwarded-Proto, which Express believes only from the addresses TRUST_PROXY names.
import http from 'node:http';

export function createHttpServer(app) {
  return { server: http.createServer(app), protocol: 'http' };
}

// Plain HTTP on 127.0.0.1: nginx terminates TLS in front of the app and tells it so with
// X-Forwarded-Proto, which Express believes because of the 'trust proxy' setting.
import http from 'node:http';

export function createHttpServer(app) {
  return { server: http.createServer(app), protocol: 'http' };
}

// No proxy in front, so the app terminates TLS itself when certificates are configured
// (always in production: config.ts refuses to start without them, because a Secure cookie
// sent over plain HTTP is never sent back and login would silently not stick).
import { readFileSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { RequestListener, Server } from 'node:http';

/** What config.ts says of the certificates: null when the app serves plain HTTP (development). */
interface TlsConfig {
  tls: { certPath: string; keyPath: string } | null;
}

// Mozilla's "intermediate" TLS 1.2 ciphers (TLS 1.3 has its own), the list the nginx setup uses
// too, without its DHE suites: Node offers those only with a `dhparam` option, and every client the
// profile supports (back to Android 4.4, IE 11, Java 8) has ECDHE, so they would add no client.
const MOZILLA_INTERMEDIATE_CIPHERS = [
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

export function createHttpServer(
  app: RequestListener,
  config: TlsConfig,
): { server: Server | https.Server; protocol: string } {
  if (!config.tls) return { server: http.createServer(app), protocol: 'http' };
  const options: https.ServerOptions = {
    cert: readTlsFile('TLS_CERT', config.tls.certPath),
    key: readTlsFile('TLS_KEY', config.tls.keyPath),
    minVersion: 'TLSv1.2', // older TLS versions have known weaknesses
    ciphers: MOZILLA_INTERMEDIATE_CIPHERS, // Node's defaults still offer CBC ciphers (LUCKY13)
  };
  return { server: https.createServer(options, app), protocol: 'https' };
}

// Name the variable in the error, so a wrong path is a one-line fix.
function readTlsFile(variable: string, path: string) {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new Error(
      `${variable}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    );
  }
}

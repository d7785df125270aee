// A throw-away self-signed certificate for the test domain, made with openssl.
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import tls from 'node:tls';
import { promisify } from 'node:util';
import { DOMAIN } from './constants.ts';
import { makeTempDir } from './paths.ts';
import { findTool } from './tools.ts';

const run = promisify(execFile);

export interface TestCert {
  domain: string;
  dir: string;
  certPath: string;
  keyPath: string;
  /** PEM of the certificate, to pass as `ca` to clients. */
  cert: string;
  remove: () => Promise<void>;
}

export async function makeCert(domain = DOMAIN): Promise<TestCert> {
  const openssl = findTool('openssl') ?? 'openssl';
  const tmp = await makeTempDir('tls');
  const certPath = join(tmp.path, `${domain}.crt`);
  const keyPath = join(tmp.path, `${domain}.key`);
  try {
    await run(
      openssl,
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '2',
        '-subj',
        `/CN=${domain}`,
        '-addext',
        `subjectAltName=DNS:${domain}`,
        '-keyout',
        keyPath,
        '-out',
        certPath,
      ],
      { timeout: 30_000 },
    );
  } catch (error) {
    await tmp.remove();
    throw new Error(`openssl could not make a test certificate: ${(error as Error).message}`);
  }
  return { domain, dir: tmp.path, certPath, keyPath, cert: await readFile(certPath, 'utf8'), remove: tmp.remove };
}

/** The TLS version a handshake with `servername` agrees on, limited to `version`. */
export function tlsVersion(
  port: number,
  servername: string,
  ca: string,
  version: 'TLSv1.2' | 'TLSv1.3',
): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect(
      { host: '127.0.0.1', port, servername, ca, minVersion: version, maxVersion: version },
      () => {
        const protocol = socket.getProtocol();
        socket.destroy();
        resolve(protocol);
      },
    );
    socket.once('error', reject);
    socket.setTimeout(5000, () => socket.destroy(new Error('TLS handshake timed out')));
  });
}

// --domain and --port: where the app is reached. The domain goes unquoted into proxy configs and
// certificate paths, so only plain host names pass.
import { quote, UsageError } from './errors.js';

export function parsePort(input: string): number {
  if (!/^[0-9]{1,5}$/.test(input) || Number(input) < 1 || Number(input) > 65535) {
    throw new UsageError(`Invalid --port ${quote(input)}: use a whole number from 1 to 65535, such as 3000.`);
  }
  return Number(input);
}

// Letters, digits and hyphens in dot-separated labels: the only shape that is safe to put
// unquoted into nginx's server_name and a certificate path.
const HOST_LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;
const MAX_HOST_LENGTH = 253;

/**
 * The --domain rule as data: the generated app checks PUBLIC_HOST (which overrides --domain) with
 * it, so the CLI and the app cannot disagree on what a host name is.
 */
export const HOST_RULE = Object.freeze({ label: HOST_LABEL.source, maxLength: MAX_HOST_LENGTH });

export function validateDomain(input: string): string {
  const domain = input.trim().toLowerCase();
  const labels = domain.split('.');
  if (domain.length > MAX_HOST_LENGTH || !labels.every((label) => HOST_LABEL.test(label))) {
    throw new UsageError(
      `Invalid --domain ${quote(input)}: use a host name such as app.example.com (letters, digits, hyphens and dots).`,
    );
  }
  return domain;
}

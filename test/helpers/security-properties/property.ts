// What a row of the security property table is (../security-properties.ts gathers the rows, which the
// files beside this one hold by theme), and the groups of setups the rows are proven on.
import type { TimedApp } from '../security-deployment.ts';
import type { Check } from '../security-checks/steps.ts';
import type { JsSetupId } from '../security-setups.ts';

export interface SecurityProperty {
  n: number;
  /** The test's name, under each setup's describe: `#<n> <test>`. */
  test: string;
  /** What holds, for the README. */
  property: string;
  /** The JavaScript setups it is proven on; the TypeScript setups follow from them (security-setups.ts, jsTwins). */
  setups: readonly JsSetupId[];
  /** How the test differs on some setups, for the README (and on the TypeScript setups derived from them). */
  notes?: Partial<Record<JsSetupId, string>>;
  /** The test's body: it throws when the property does not hold on the deployment. */
  check: Check;
  /** The app it runs on besides the main one: a timed app (those rows run side by side, as they mostly wait). */
  app?: TimedApp;
  /** Programs it needs besides the setup's own (skipped without them outside CI). */
  tools?: readonly string[];
  /**
   * A long part of the check, started as soon as the setup is deployed (when its tools are there), and awaited by the
   * check.
   */
  startEarly?: Check;
  /** The test's timeout; 90 s unless given. */
  timeoutMs?: number;
}

export const PROXY_SETUPS: readonly JsSetupId[] = [
  'nginx+sqlite',
  'caddy+sqlite',
  'none+sqlite',
  'paas+sqlite',
  'custom+sqlite',
];
export const STORE_SETUPS: readonly JsSetupId[] = ['nginx+redis', 'nginx+postgres', 'nginx+mysql'];
export const ALL_SETUPS: readonly JsSetupId[] = [...PROXY_SETUPS, ...STORE_SETUPS];

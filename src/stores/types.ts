/** One session store the generated app can use: a module here plus templates/stores/<id>/. */
export interface StoreModule {
  id: string;
  label: string;
  /** Runtime dependencies the store adds to the generated package.json. */
  dependencies: Record<string, string>;
  /** Dependencies whose install scripts must run (npm 11 blocks them unless allowed). */
  allowScripts: string[];
  /** The environment variable the app reads the location from; "" when the store has none. */
  urlEnv: string;
  defaultUrl: string;
  urlHint: string;
  /** Returns an error message for a location the store cannot use, or undefined. */
  validateUrl(url: string): string | undefined;
}

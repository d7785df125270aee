import type { StoreModule } from './types.js';

export const memory: StoreModule = {
  id: 'memory',
  label: 'Memory (development only; sessions vanish on restart)',
  kind: 'memory',
  dependencies: { memorystore: '^1.6.8' },
  allowScripts: [],
  urlEnv: '',
  defaultUrl: '',
  urlSchemes: [],
  urlHint: 'none: the memory store has no location',
  validateUrl(url) {
    return url === '' ? undefined : 'the memory store takes no --store-url';
  },
};

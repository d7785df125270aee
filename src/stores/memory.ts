import type { StoreModule } from './types.js';

export const memory: StoreModule = {
  id: 'memory',
  label: 'Memory (development only; sessions vanish on restart)',
  phrase: 'an in-memory',
  kind: 'memory',
  dependencies: ['memorystore'],
  installScripts: [],
  urlEnv: '',
  defaultUrl: '',
  urlSchemes: [],
  urlHint: 'leave --store-url out',
  validateUrl(url) {
    return url === '' ? undefined : 'the memory store keeps sessions in the process and has no location';
  },
};

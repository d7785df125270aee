// The three prompts the CLI shows, in a module of their own so prompts.ts can load them when the first
// question is asked; importing them by name keeps the rest of @inquirer/prompts (the editor prompt and
// its character-set tables) out of the bundle.
export { confirm, input, select } from '@inquirer/prompts';

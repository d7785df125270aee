#!/usr/bin/env node
// The published package runs the single bundle built from src/ (see `npm run build`).
import { main } from '../dist/index.js';

process.exitCode = await main(process.argv.slice(2));

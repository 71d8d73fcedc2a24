#!/usr/bin/env node
// Launcher for the `ifcb-viewer` command: runs the TypeScript CLI through tsx's loader.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../main/cli/main.ts');
const { processIo } = await import('../main/cli/io.ts');
process.exitCode = await main(process.argv.slice(2), processIo());

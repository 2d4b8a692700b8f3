#!/usr/bin/env node
// Thin entry: the compiled CLI sets process.exitCode; nothing here decides it.
import { main } from '../dist/cli/main.js';

process.exitCode = await main(process.argv);

#!/usr/bin/env node
// The gwenmap command: runs the built CLI. A committed file, so that npm links the bin on install,
// before dist/ is built (in the monorepo: `npm ci && npm run build`, then `npx gwenmap`).
import "../dist/bin.js";

#!/usr/bin/env node
// The `munja-simulator` command. A committed launcher rather than dist/cli.js itself, so that installing the
// workspace (before anything is built) can link the command without warning that its file is missing.
require('../dist/cli.js');

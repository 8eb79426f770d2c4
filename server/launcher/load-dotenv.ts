// Loads .env (if present) before any module parses the environment. Imported
// first by the command-line entry points.
import { existsSync } from 'node:fs';

if (existsSync('.env')) process.loadEnvFile('.env');

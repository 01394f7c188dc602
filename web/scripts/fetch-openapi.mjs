// Copies a running server's OpenAPI document to openapi.json (the source of src/api/schema.d.ts), with the server
// URL set to the default address so the file does not depend on the port it was read from.
// Usage: node scripts/fetch-openapi.mjs http://127.0.0.1:PORT
import { writeFileSync } from 'node:fs';

const base = process.argv[2] ?? 'http://127.0.0.1:8080';
const doc = await (await fetch(`${base}/openapi/v1.json`)).json();
doc.servers = [{ url: 'http://127.0.0.1:8080' }];
writeFileSync(new URL('../openapi.json', import.meta.url), JSON.stringify(doc, null, 2) + '\n');

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// Built files go to dist/, which Weft.Server embeds. `npm run dev` proxies the API to a local `weft server`.
export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 2000, sourcemap: false },
  server: { proxy: { '/api': 'http://127.0.0.1:8080', '/openapi': 'http://127.0.0.1:8080' } },
  test: { environment: 'jsdom', include: ['src/**/*.test.tsx', 'src/**/*.test.ts'] },
} as never);

import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

/**
 * The console is served by nginx at `/` with the APIs on the same origin (`/base_api`, ...,
 * `/keycloak`), so the app never needs CORS. `npm run dev -w @fleet/console` proxies those paths
 * to a running `npm start` gateway (FLEET_GATEWAY, default http://127.0.0.1:8080).
 */
const gateway = process.env.FLEET_GATEWAY ?? 'http://127.0.0.1:8080';
const proxied = ['/base_api', '/store_api', '/vision_api', '/video_api', '/translator_api', '/live', '/keycloak', '/healthz'];

export default defineConfig({
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    // Hashed file names under /assets/: nginx serves them as immutable for a year.
    assetsDir: 'assets',
    sourcemap: true,
    chunkSizeWarningLimit: 700,
  },
  server: {
    proxy: Object.fromEntries(proxied.map((prefix) => [prefix, { target: gateway, changeOrigin: false, ws: true }])),
  },
});

import { readFile } from 'node:fs/promises';
import { sveltekit } from '@sveltejs/kit/vite';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * `vite dev` only: answer /config.json from web/config.dev.json (git-ignored), the way
 * the CDN answers it from the bucket. The build never contains a config.json: the same
 * build serves every stack.
 */
function devConfig(): Plugin {
	return {
		name: 'booking-dev-config',
		apply: 'serve',
		configureServer(server) {
			server.middlewares.use('/config.json', (_request, response) => {
				readFile(new URL('./config.dev.json', import.meta.url), 'utf8').then(
					(body: string) => {
						response.setHeader('content-type', 'application/json');
						response.setHeader('cache-control', 'no-store');
						response.end(body);
					},
					() => {
						response.statusCode = 404;
						response.end('web/config.dev.json is missing');
					}
				);
			});
		}
	};
}

export default defineConfig({
	plugins: [devConfig(), sveltekit()],
	server: { port: 5173, strictPort: true },
	build: { target: 'es2022' },
	test: {
		include: ['src/**/*.test.ts'],
		environment: 'node'
	}
});

import adapter from '@sveltejs/adapter-static';
import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** @type {import('@sveltejs/kit').Config} */
const config = {
	preprocess: vitePreprocess(),
	kit: {
		// A single-page app: every unknown path gets index.html (the CDN's fallback does
		// the same), and nothing is rendered or prerendered at build time.
		adapter: adapter({ pages: 'build', assets: 'build', fallback: 'index.html', strict: true }),
		// Hashed file names only: the CDN caches /_app/immutable/* for a year.
		version: { name: 'static' }
	}
};

export default config;

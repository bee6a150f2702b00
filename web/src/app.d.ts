// See https://svelte.dev/docs/kit/types#app.d.ts
declare global {
	namespace App {
		interface Error {
			message: string;
			/** The API's request id, when the error came from the API. */
			requestId?: string;
			code?: string;
		}
	}
}

export {};

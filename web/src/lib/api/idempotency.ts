/**
 * One `Idempotency-Key` per booking attempt. The key follows the request body: the same
 * body (a retry after a lost answer, a double click, the user pressing "confirm" again)
 * sends the same key, so the API returns the original booking instead of booking twice;
 * a different body (another slot after a 409) is a new attempt with a new key, since the
 * API refuses a reused key with another body (IDEMPOTENCY_KEY_REUSED).
 */
export class BookingAttempt {
	private key: string | null = null;
	private fingerprint: string | null = null;

	constructor(private readonly newKey: () => string = randomKey) {}

	keyFor(body: unknown): string {
		const fingerprint = stableJson(body);
		if (this.key === null || fingerprint !== this.fingerprint) {
			this.key = this.newKey();
			this.fingerprint = fingerprint;
		}
		return this.key;
	}

	/** After a success: the next booking is a new attempt. */
	reset(): void {
		this.key = null;
		this.fingerprint = null;
	}
}

/** 128 random bits as hex (works outside secure contexts too, unlike randomUUID). */
export function randomKey(): string {
	const bytes = new Uint8Array(16);
	crypto.getRandomValues(bytes);
	return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** JSON with object keys sorted, so that key order never makes a "different" body. */
export function stableJson(value: unknown): string {
	return JSON.stringify(value, (_key, item: unknown) =>
		item && typeof item === 'object' && !Array.isArray(item)
			? Object.fromEntries(Object.entries(item as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
			: item
	);
}

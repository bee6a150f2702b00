export { HttpClient, type HttpClientOptions } from './client';
export { ApiError, asApiError } from './errors';
export { BookingAttempt } from './idempotency';
export { createApi, type Api } from './endpoints';
export { fetchConfig } from './config';
export type * from './types';

/**
 * Names for the API's shapes. Every type comes from schema.d.ts, which `npm run gen:api`
 * generates from docs/openapi.json: the contract has one home, nothing is copied here.
 */
import type { components, operations } from './schema';

type Schemas = components['schemas'];

export type Tenant = Schemas['Tenant'];
export type TenantPolicy = Schemas['TenantPolicy'];
export type Professional = Schemas['Professional'];
export type Treatment = Schemas['Treatment'];
export type Booking = Schemas['Booking'];
export type BookingStatus = Schemas['BookingStatus'];
export type Slot = Schemas['Slot'];
export type Availability = Schemas['Availability'];
export type User = Schemas['User'];
export type Role = Schemas['Role'];
export type WeeklySchedule = Schemas['WeeklySchedule'];
export type TimeRange = Schemas['TimeRange'];
export type TimeOff = Schemas['TimeOff'];
export type Closure = Schemas['Closure'];
export type UserSearchField = Schemas['UserSearchField'];
export type ErrorDetail = Schemas['ErrorDetail'];

type Json<T> = T extends { content: { 'application/json': infer Body } } ? Body : never;

/** The JSON body of an operation's success answer (200 or 201). */
export type Ok<K extends keyof operations> = operations[K]['responses'] extends { 200: infer R }
	? Json<R>
	: operations[K]['responses'] extends { 201: infer R }
		? Json<R>
		: never;

/** An operation's query parameters. */
export type Query<K extends keyof operations> = NonNullable<operations[K]['parameters']['query']>;

/**
 * An operation's request body, with the fields that may be null made optional: the
 * schema gives them a null default, and the API treats an absent field as "unchanged"
 * (PATCH) or "none" (create) — an explicit null would clear it.
 */
export type Body<K extends keyof operations> = Loose<
	operations[K] extends { requestBody: { content: { 'application/json': infer B } } }
		? B
		: operations[K] extends { requestBody?: { content: { 'application/json': infer B } } }
			? B
			: never
>;

type NullableKeys<T> = { [P in keyof T]-?: null extends T[P] ? P : never }[keyof T];
type Loose<T> = Omit<T, NullableKeys<T>> & Partial<Pick<T, NullableKeys<T>>>;

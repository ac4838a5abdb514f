/**
 * @module
 * `@dashiwake/server-sdk`: a typed client for dashiwake's server API and an identify-token signer.
 */
export { createServerClient, DashiwakeError, type CollectResult, type Issue, type ServerClient, type ServerClientOptions } from './client';
export { signIdentifyToken, type IdentifyClaims } from './identify-token';
export type { EventPropsByType, EventType, PropValue, ServerEvent, Traits } from './types';

import { net } from 'electron';
import type { FetchLike } from '../../services/net/fetch';

/**
 * Every remote call of the app goes through Chromium's network stack: the system proxy and PAC
 * settings and the OS certificate store apply (Node's fetch uses neither).
 */
export const netFetch: FetchLike = (input, init) => net.fetch(String(input), init);

import { z } from '../zod';
import type { AuthMode } from '../../domain/environments';
import { event, method } from '../define';

/** An account MSAL holds for an environment's authority. Never a token. */
export interface AccountChoice {
  /** MSAL's `<oid>.<tid>`: what the account picker sends back. */
  readonly homeAccountId: string;
  readonly username: string;
  readonly name: string | null;
  readonly tenantId: string;
}

export interface AuthStatus {
  readonly environmentId: string;
  readonly mode: AuthMode;
  /** An account is chosen and its session is in the token cache (client credentials: the secret is set). */
  readonly signedIn: boolean;
  readonly account: AccountChoice | null;
  /** Every account signed in on this computer for the environment's tenant: the account picker. */
  readonly accounts: readonly AccountChoice[];
  /** 'encrypted': sign-ins survive a restart; 'memory': no protected key store, sign in each session. */
  readonly tokenCache: 'encrypted' | 'memory';
  /**
   * When the access token last obtained in this session expires (ISO time); null before one was
   * obtained or once it expired. MSAL renews it silently on the next call while the session holds.
   */
  readonly tokenExpiresAt: string | null;
}

const environmentId = z.string().min(1).max(200);

export const authMethods = {
  'auth.status': method<AuthStatus>()(
    'Who is signed in to an environment, and which other accounts could be (no network call).',
    z.object({ environmentId }).strict(),
  ),
  'auth.signIn': method<AuthStatus>()(
    'Sign in in the system browser (the Local emulator needs none). prompt "select_account" = use another account.',
    z
      .object({
        environmentId,
        prompt: z.enum(['select_account', 'login']).optional(),
        loginHint: z.string().min(1).max(320).optional(),
      })
      .strict(),
  ),
  'auth.useAccount': method<AuthStatus>()(
    'Account picker: use an account already signed in on this computer for this environment.',
    z.object({ environmentId, homeAccountId: z.string().min(1).max(300) }).strict(),
  ),
  'auth.signOut': method<AuthStatus>()(
    "Sign out of an environment: forgets its account and removes that account's tokens from this computer.",
    z.object({ environmentId }).strict(),
  ),
} as const;

export const authEvents = {
  'auth.changed': event<AuthStatus>('An environment was signed in to, switched account or signed out.'),
} as const;

import type { AuthService } from '../../services/auth/authService';
import type { DomainHandlers } from '../dispatcher';

export function authHandlers(auth: AuthService): DomainHandlers<'auth'> {
  return {
    'auth.status': async ({ environmentId }) => auth.status(environmentId),
    'auth.signIn': async ({ environmentId, prompt, loginHint }) => auth.signIn(environmentId, { prompt, loginHint }),
    'auth.useAccount': async ({ environmentId, homeAccountId }) => auth.useAccount(environmentId, homeAccountId),
    'auth.signOut': async ({ environmentId }) => auth.signOut(environmentId),
  };
}

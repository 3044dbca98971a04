import { useCallback, useState } from 'react';
import type { ReactNode } from 'react';
import { useStore } from 'zustand';
import { ConfirmProductionDialog } from './ConfirmDialog';
import { useWorkbench } from './workbench';

interface Pending {
  readonly name: string;
  readonly action: string;
  readonly run: (confirmProduction?: string) => void;
}

/**
 * Runs a write to an environment, asking first for its name when it is tagged PROD. Returns the
 * guard and the dialog to render. The services check the typed name again.
 */
export function useProductionGuard(): {
  guard: (environmentId: string, action: string, run: (confirmProduction?: string) => void) => void;
  dialog: ReactNode;
} {
  const { shell } = useWorkbench();
  const environments = useStore(shell, (s) => s.environments);
  const [pending, setPending] = useState<Pending | null>(null);
  const guard = useCallback(
    (environmentId: string, action: string, run: (confirmProduction?: string) => void) => {
      const env = environments?.environments.find((e) => e.id === environmentId);
      if (env?.tag === 'PROD') setPending({ name: env.name, action, run });
      else run();
    },
    [environments],
  );
  const dialog = pending && (
    <ConfirmProductionDialog
      environmentName={pending.name}
      action={pending.action}
      onClose={() => setPending(null)}
      onConfirm={(typed) => {
        setPending(null);
        pending.run(typed);
      }}
    />
  );
  return { guard, dialog };
}

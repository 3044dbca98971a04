import { useEffect, useState } from 'react';
import type { LegalEntityInfo } from '../../../../shared/api/domains/environments';
import type { ConnectionState } from '../../../../shared/domain/environments';
import { useWorkbench } from '../../app/workbench';

/**
 * The legal entities of an environment, asked again when its connection changes (signing in
 * makes the real list available); none when the environment cannot answer. Without an
 * environment the last answer stays.
 */
export function useLegalEntities(
  environmentId: string,
  connection: ConnectionState | undefined,
): readonly LegalEntityInfo[] {
  const { client } = useWorkbench();
  const [companies, setCompanies] = useState<readonly LegalEntityInfo[]>([]);
  useEffect(() => {
    if (!environmentId) return;
    let live = true;
    client.call('environments.legalEntities', { id: environmentId }).then(
      (list) => live && setCompanies(list),
      () => live && setCompanies([]),
    );
    return () => {
      live = false;
    };
  }, [client, environmentId, connection]);
  return companies;
}

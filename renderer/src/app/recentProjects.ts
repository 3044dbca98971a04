import { useEffect, useState } from 'react';
import type { RecentProject } from '../../../shared/api/domains/app';
import { NONE, useWorkbench } from './workbench';

/**
 * The projects opened or created lately, newest first, read again when a project changes (one just
 * created in the package wizard shows at once). Null until the first answer.
 */
export function useRecentProjects(): readonly RecentProject[] | null {
  const { client } = useWorkbench();
  const [recent, setRecent] = useState<readonly RecentProject[] | null>(null);
  useEffect(() => {
    let live = true;
    const read = () =>
      client.call('app.preferences', {}).then(
        (preferences) => live && setRecent(preferences.recentProjects),
        () => live && setRecent((current) => current ?? NONE),
      );
    void read();
    const off = client.on('projects.changed', () => void read());
    return () => {
      live = false;
      off();
    };
  }, [client]);
  return recent;
}

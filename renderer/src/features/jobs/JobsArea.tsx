import { AreaHeader } from '../../app/AreaHeader';
import { EmptyState } from '../../app/EmptyState';

export function JobsArea() {
  return (
    <>
      <AreaHeader
        title="Jobs"
        description="Imports, exports and configuration copies, with their progress and the rows that failed."
      />
      <EmptyState
        icon="jobs"
        title="No jobs yet"
        steps={[
          'Run a package as an import job from the Package area.',
          'Follow upload, staging and target progress here.',
          'Open the errors in the grid, fix them, and re-import only the failed rows.',
        ]}
      >
        <p>Jobs keep running and resume after the workbench restarts.</p>
      </EmptyState>
    </>
  );
}

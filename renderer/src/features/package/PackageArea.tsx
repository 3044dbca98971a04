import { AreaHeader } from '../../app/AreaHeader';
import { EmptyState } from '../../app/EmptyState';

export function PackageArea() {
  return (
    <>
      <AreaHeader
        title="Package"
        description="Choose entities, map columns, sequence execution units and levels, and build a data package F&O accepts."
      />
      <EmptyState
        icon="package"
        title="No package in progress"
        steps={[
          'Pick the entities to load, from the built-in catalog or the environment’s metadata.',
          'Map source columns to staging fields; mandatory fields are flagged.',
          'Auto-sequence, then save the package offline or run it as an import job.',
        ]}
      >
        <p>
          Packages are written exactly as F&amp;O writes them: manifest, package header and one data file per entity.
        </p>
      </EmptyState>
    </>
  );
}

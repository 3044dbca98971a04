import { AreaHeader } from '../../app/AreaHeader';
import { EmptyState } from '../../app/EmptyState';

export function SourcesArea() {
  return (
    <>
      <AreaHeader
        title="Sources"
        description="Preview and fix the rows of your legacy extracts before they become a data package."
      />
      <EmptyState
        icon="sources"
        title="No source files open"
        steps={[
          'Open a CSV, TSV, Excel or XML extract, or a whole data package.',
          'Check the detected encoding, delimiter and header row.',
          'Fix the cells the validation marks, then build a package from the Package area.',
        ]}
      >
        <p>Rows stay on this computer: large files are read in the background and the grid shows them page by page.</p>
      </EmptyState>
    </>
  );
}

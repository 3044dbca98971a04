import { Icon } from './icons';

/** What went wrong (the service's message says how to fix it), announced at once; nothing without a problem. */
export function ErrorAlert({ problem }: { problem: string | null }) {
  if (!problem) return null;
  return (
    <div className="alert alert--error" role="alert">
      <Icon name="alert" />
      <p>{problem}</p>
    </div>
  );
}

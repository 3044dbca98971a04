import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api/connect';
import { App } from './app/App';
import { createToastStore } from './app/toasts';
import type { Workbench } from './app/workbench';
import { createJobsStore } from './features/jobs/jobsStore';
import { createSourcesStore } from './features/sources/sourcesStore';
import { createShellStore } from './state/shellStore';
import './styles/theme.css';
import './styles/shell.css';
import './styles/controls.css';
import './styles/ui.css';
import './styles/workflows.css';

const connection = connect();
const shell = createShellStore(connection.client, connection.state);
const toasts = createToastStore();
const sources = createSourcesStore(connection.client);
// For the app's lifetime: loading progress and changes arrive even while another area is shown.
sources.getState().listen();
const jobs = createJobsStore(connection.client, (notice, job) => {
  // Watching the job end on screen is notice enough.
  const area = shell.getState().area;
  if (area === 'jobs' && jobs.getState().selectedId === notice.jobId) return;
  if (area === 'copy' && job.kind === 'copy') return;
  const level = notice.level === 'info' ? 'success' : notice.level;
  toasts.getState().push({
    level,
    key: `job:${notice.jobId}`,
    title: notice.title,
    body: notice.body,
    action: {
      label: 'Open job',
      run: () => {
        jobs.getState().select(notice.jobId);
        shell.getState().goTo('jobs');
      },
    },
  });
});
const workbench: Workbench = { client: connection.client, shell, toasts, jobs, sources };

const load = () => {
  void shell.getState().load();
  void jobs.getState().load();
};
connection.onStateChange((state) => {
  shell.getState().setTransport(state);
  if (state === 'connected') load();
});
connection.client.on('environments.changed', (environments) => shell.setState({ environments }));
if (connection.state === 'connected') load();

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App workbench={workbench} />
  </StrictMode>,
);

import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { connect } from './api/connect';
import { App } from './app/App';
import { createSourcesStore } from './features/sources/sourcesStore';
import { createShellStore } from './state/shellStore';
import './styles/theme.css';
import './styles/shell.css';
import './styles/controls.css';

const connection = connect();
const store = createShellStore(connection.client, connection.state);
const sources = createSourcesStore(connection.client);
// For the app's lifetime: loading progress and changes arrive even while another area is shown.
sources.getState().listen();
connection.onStateChange((state) => {
  store.getState().setTransport(state);
  if (state === 'connected') void store.getState().load();
});
connection.client.on('environments.changed', (environments) => store.setState({ environments }));
if (connection.state === 'connected') void store.getState().load();

const root = document.getElementById('root');
if (!root) throw new Error('The page has no #root element.');
createRoot(root).render(
  <StrictMode>
    <App store={store} sources={sources} client={connection.client} />
  </StrictMode>,
);

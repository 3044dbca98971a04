// Bundled into one CommonJS file (scripts/build-electron.mjs): a sandboxed preload can only
// require 'electron' and a few built-ins.
import { contextBridge, ipcRenderer, webUtils } from 'electron';
import { createBridge } from './bridge';
import { createFileBridge } from './files';

contextBridge.exposeInMainWorld('bridge', createBridge(ipcRenderer));
contextBridge.exposeInMainWorld('dmfwFiles', createFileBridge(webUtils));

// Bundled into one CommonJS file (scripts/build-electron.mjs): a sandboxed preload can only
// require 'electron' and a few built-ins.
import { contextBridge, ipcRenderer } from 'electron';
import { createBridge } from './bridge';

contextBridge.exposeInMainWorld('bridge', createBridge(ipcRenderer));

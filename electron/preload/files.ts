import type { WebUtils } from 'electron';

/** What the preload exposes as `window.dmfwFiles`: the path of a file dropped on the window. */
export interface FileBridge {
  pathForFile(file: File): string;
}

/**
 * One narrow function for drag and drop: the renderer gets the path of a File the user dropped
 * (Electron's webUtils.getPathForFile; `File.path` is gone since Electron 32) and opens it through
 * the contract like a typed path. Anything that is not a File is refused.
 */
export function createFileBridge(webUtils: Pick<WebUtils, 'getPathForFile'>): FileBridge {
  return Object.freeze({
    pathForFile(file: File): string {
      if (typeof File === 'undefined' || !(file instanceof File))
        throw new TypeError('pathForFile takes a dropped File.');
      return webUtils.getPathForFile(file);
    },
  });
}

import { BrowserWindow } from 'electron';
import { writeFile } from 'node:fs/promises';
import type { PdfPrinter } from '../../services/reports/pdf';

/**
 * The desktop app prints reports with its own Chromium: a hidden window that runs no script (the
 * report has none; its CSP allows none) and has no preload, loads the report file and prints it.
 */
export const electronPrintToPdf: PdfPrinter = async (htmlFile, pdfFile) => {
  const window = new BrowserWindow({
    show: false,
    webPreferences: { javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false },
  });
  try {
    await window.loadFile(htmlFile);
    const pdf = await window.webContents.printToPDF({ printBackground: true, pageSize: 'A4' });
    await writeFile(pdfFile, pdf);
  } finally {
    window.destroy();
  }
};

/**
 * HTML to PDF with Chromium. The desktop app prints with its own Chromium (webContents.printToPDF,
 * electron/main/platform/printToPdf.ts); browser mode and the CLI run a Chromium or Chrome found on
 * the machine headless (`--print-to-pdf`, Chromium's documented headless mode), with a throw-away
 * profile. The report has no script and its CSP (default-src 'none') allows none; Chromium's
 * `scriptEnabled=false` setting is not used: headless Chromium 156 then writes no PDF at all.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, open, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

/** Prints an HTML file to a PDF file; throws PdfUnavailableError when it cannot. */
export type PdfPrinter = (htmlFile: string, pdfFile: string) => Promise<void>;

export class PdfUnavailableError extends Error {
  override readonly name = 'PdfUnavailableError';
}

const PRINT_TIMEOUT_MS = 120_000;

/** Where Chromium, Chrome or Edge (Chromium-based) usually are; CHROMIUM_PATH or CHROME_PATH first. */
export function findChromium(env: Readonly<Record<string, string | undefined>> = process.env): string | null {
  const candidates = [
    env.CHROMIUM_PATH,
    env.CHROME_PATH,
    '/usr/bin/chromium',
    '/usr/bin/chromium-browser',
    '/usr/bin/google-chrome',
    '/usr/bin/google-chrome-stable',
    '/snap/bin/chromium',
    '/Applications/Google Chrome.app/Contents/MacOS/Google Chrome',
    '/Applications/Chromium.app/Contents/MacOS/Chromium',
    'C:\\Program Files\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Google\\Chrome\\Application\\chrome.exe',
    'C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe',
    'C:\\Program Files\\Microsoft\\Edge\\Application\\msedge.exe',
  ];
  return candidates.find((c): c is string => typeof c === 'string' && c !== '' && existsSync(c)) ?? null;
}

/** The printer of browser mode and the CLI: a headless Chromium found on the machine, if any. */
export function chromiumPrinter(env: Readonly<Record<string, string | undefined>> = process.env): PdfPrinter {
  return async (htmlFile, pdfFile) => {
    const chromium = findChromium(env);
    if (!chromium) {
      throw new PdfUnavailableError(
        'No Chromium, Chrome or Edge was found to print the PDF (set CHROMIUM_PATH to one). The HTML report is saved: open it in a browser and print it to PDF.',
      );
    }
    const profile = await mkdtemp(join(tmpdir(), 'dmfw-print-'));
    try {
      await run(chromium, [
        '--headless',
        '--disable-gpu',
        '--no-first-run',
        '--no-default-browser-check',
        '--disable-extensions',
        '--disable-background-networking',
        '--no-pdf-header-footer',
        `--user-data-dir=${profile}`,
        // Chromium refuses to start its sandbox as root (containers, CI): it then needs this.
        ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
        `--print-to-pdf=${pdfFile}`,
        pathToFileURL(htmlFile).href,
      ]);
    } finally {
      await rm(profile, { recursive: true, force: true });
    }
    if (!(await isPdf(pdfFile))) {
      throw new PdfUnavailableError(
        `${chromium} did not write a PDF. The HTML report is saved: print it from a browser.`,
      );
    }
  };
}

function run(command: string, args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      // Only the end matters for the message; Chromium is chatty.
      stderr = (stderr + chunk.toString()).slice(-2000);
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new PdfUnavailableError(`${command} did not print the PDF within ${PRINT_TIMEOUT_MS / 1000} s.`));
    }, PRINT_TIMEOUT_MS);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(new PdfUnavailableError(`${command} could not be started (${error.message}).`));
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else
        reject(
          new PdfUnavailableError(`${command} ended with code ${code}: ${stderr.trim().split('\n').at(-1) ?? ''}`),
        );
    });
  });
}

async function isPdf(file: string): Promise<boolean> {
  const info = await stat(file).catch(() => null);
  if (!info || info.size < 5) return false;
  const handle = await open(file, 'r');
  try {
    const head = Buffer.alloc(5);
    await handle.read(head, 0, 5, 0);
    return head.toString('latin1') === '%PDF-';
  } finally {
    await handle.close();
  }
}

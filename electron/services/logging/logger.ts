import { redact } from './redact';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  debug(message: string, detail?: unknown): void;
  info(message: string, detail?: unknown): void;
  warn(message: string, detail?: unknown): void;
  error(message: string, detail?: unknown): void;
}

const ORDER: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function render(detail: unknown): string {
  if (detail === undefined) return '';
  if (detail instanceof Error) return ` ${detail.stack ?? `${detail.name}: ${detail.message}`}`;
  try {
    return ` ${JSON.stringify(detail)}`;
  } catch {
    return ` ${String(detail)}`;
  }
}

/** A logger that writes one redacted line per entry to a sink (stderr, a file, a test array). */
export function createLogger(options: { sink: (line: string) => void; level?: LogLevel; scope?: string }): Logger {
  const threshold = ORDER[options.level ?? 'info'];
  const scope = options.scope ? ` [${options.scope}]` : '';
  const write = (level: LogLevel, message: string, detail?: unknown) => {
    if (ORDER[level] < threshold) return;
    options.sink(redact(`${new Date().toISOString()} ${level.toUpperCase()}${scope} ${message}${render(detail)}`));
  };
  return {
    debug: (message, detail) => write('debug', message, detail),
    info: (message, detail) => write('info', message, detail),
    warn: (message, detail) => write('warn', message, detail),
    error: (message, detail) => write('error', message, detail),
  };
}

export const silentLogger: Logger = { debug() {}, info() {}, warn() {}, error() {} };

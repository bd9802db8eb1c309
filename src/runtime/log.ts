// Log entries with their ids as fields (JSON keys in the server's log), not text. Never a token.

export type LogFields = { [key: string]: string | number | boolean };

export function logWith(logger: nkruntime.Logger, level: 'info' | 'warn' | 'error', message: string, fields: LogFields): void {
  logger.withFields(fields as { [key: string]: string | number })[level]('%s', message);
}

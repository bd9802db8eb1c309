// The one way the adapter reads an error's message: the server throws Go errors, JavaScript
// Errors and plain `{message, code}` objects alike.

export function errorText(err: unknown): string {
  if (err instanceof Error) return err.message;
  if (typeof err === 'object' && err !== null && 'message' in err) return String((err as { message: unknown }).message);
  return String(err);
}

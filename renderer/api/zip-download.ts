/**
 * Browser mode only: a zip of the chosen images saved by the browser itself (the page cannot name a file on the
 * user's machine). The bridge prepares a one-time link (main/http-bridge/zip-download.ts) and the browser's own
 * download follows it, streaming the zip as main writes it out — nothing large passes through the page.
 */
import { ZIP_DOWNLOAD_ROUTE, zipDownloadTicketSchema, type ZipDownloadRequest, type ZipDownloadTicket } from '../../shared/ipc/contract.ts';
import { err, errorInfoSchema, ok, type Result } from '../../shared/ipc/result.ts';
import { locateBridge, TOKEN_HEADER } from './http-transport.ts';

/** Ask for the zip and start the browser's download of it; resolves once the download has been handed over. */
export async function downloadZip(request: ZipDownloadRequest): Promise<Result<ZipDownloadTicket>> {
  const bridge = locateBridge(window.location, document);
  if (!bridge) return err('NOT_AVAILABLE', 'Downloads are only offered by the viewer server (`npm start` in a browser).');
  let body: unknown;
  try {
    const response = await fetch(`${bridge.base}${ZIP_DOWNLOAD_ROUTE}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', [TOKEN_HEADER]: bridge.token },
      body: JSON.stringify(request),
      cache: 'no-store',
    });
    body = await response.json();
  } catch {
    return err('NOT_AVAILABLE', 'Lost the connection to the viewer server. Is `npm start` still running?');
  }
  const answer = body as { ok?: unknown; value?: unknown; error?: unknown };
  if (answer.ok === false) {
    const error = errorInfoSchema.safeParse(answer.error);
    return error.success ? { ok: false, error: error.data } : err('INTERNAL', 'Unexpected answer from the viewer server.');
  }
  const ticket = zipDownloadTicketSchema.safeParse(answer.value);
  if (answer.ok !== true || !ticket.success) return err('INTERNAL', 'Unexpected answer from the viewer server.');
  const link = document.createElement('a');
  link.href = `${bridge.base}${ticket.data.href}`;
  link.download = ticket.data.name;
  link.click();
  return ok(ticket.data);
}

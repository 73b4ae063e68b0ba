import type { Request, Response } from 'express';
import type { Readable } from 'node:stream';
import type { ByteRange } from '@fleet/storage';
import type { ResultFile } from './jobs.service';

export type DownloadPlan = { status: 200; range?: undefined } | { status: 206; range: ByteRange } | { status: 416 };

/**
 * The whole file, or the one byte range asked for (a resumed download, a player seeking): what
 * sendFile did when results were only ever files. Several ranges get the whole file (allowed by
 * RFC 9110), an unsatisfiable one a 416.
 */
export function planDownload(req: Request, size: number): DownloadPlan {
  const ranges = req.headers.range ? req.range(size, { combine: true }) : undefined;
  if (ranges === -1) return { status: 416 };
  if (ranges === undefined || ranges === -2 || ranges.type !== 'bytes' || ranges.length !== 1) return { status: 200 };
  return { status: 206, range: { start: ranges[0].start, end: ranges[0].end } };
}

/** Streams a stored result as an attachment; `open` is called only when there is a body to send. */
export async function sendResult(req: Request, res: Response, file: ResultFile, open: (range?: ByteRange) => Promise<Readable | undefined>): Promise<'sent' | 'missing'> {
  const plan = planDownload(req, file.size);
  res.setHeader('Accept-Ranges', 'bytes');
  res.setHeader('Last-Modified', file.modifiedAt.toUTCString());
  if (plan.status === 416) {
    res.status(416).setHeader('Content-Range', `bytes */${file.size}`);
    res.end();
    return 'sent';
  }
  const body = req.method === 'HEAD' ? undefined : await open(plan.range);
  if (!body && req.method !== 'HEAD') return 'missing';
  res.status(plan.status);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Content-Disposition', `attachment; filename="${file.filename}"`);
  res.setHeader('Content-Length', String(plan.range ? plan.range.end - plan.range.start + 1 : file.size));
  if (plan.range) res.setHeader('Content-Range', `bytes ${plan.range.start}-${plan.range.end}/${file.size}`);
  if (!body) {
    res.end();
    return 'sent';
  }
  // A failure mid-body (storage gone away) can only cut the connection: the headers are out.
  body.on('error', () => res.destroy()).pipe(res);
  return 'sent';
}

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import express from 'express';
import { FilesystemObjectStore } from '@fleet/storage';
import { sendResult } from '../src/jobs/result-download';
import type { ResultFile } from '../src/jobs/jobs.service';

/** The download of a result, served from a real store by a real Express app (as the jobs controller does). */
describe('result download', () => {
  let root: string;
  let server: Server;
  let url: string;
  const body = 'WEBVTT\n\n00:00.000 --> 00:01.000\nHola\n';

  before(async () => {
    root = mkdtempSync(path.join(os.tmpdir(), 'result-download-'));
    const store = new FilesystemObjectStore(root, 'tmp');
    await store.put('cache/translate/k/subtitles.vtt', Buffer.from(body));
    const app = express();
    app.get('/:key', async (req, res) => {
      const key = req.params.key === 'gone' ? 'cache/translate/k/missing.vtt' : 'cache/translate/k/subtitles.vtt';
      const file: ResultFile = { key, size: body.length, modifiedAt: new Date('2026-11-01T10:00:00Z'), contentType: 'text/vtt; charset=utf-8', filename: 'job.es.vtt' };
      if ((await sendResult(req, res, file, (range) => store.open(key, range))) === 'missing') res.status(404).json({ missing: true });
    });
    server = app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => {
    server?.close();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('sends the whole file as an attachment, with its length and date', async () => {
    const response = await fetch(`${url}/vtt`);
    assert.equal(response.status, 200);
    assert.equal(await response.text(), body);
    assert.equal(response.headers.get('content-type'), 'text/vtt; charset=utf-8');
    assert.equal(response.headers.get('content-disposition'), 'attachment; filename="job.es.vtt"');
    assert.equal(response.headers.get('content-length'), String(body.length));
    assert.equal(response.headers.get('last-modified'), 'Sun, 01 Nov 2026 10:00:00 GMT');
    assert.equal(response.headers.get('accept-ranges'), 'bytes');
  });

  it('sends one byte range as 206 (a resumed download, a player seeking)', async () => {
    const response = await fetch(`${url}/vtt`, { headers: { range: 'bytes=8-12' } });
    assert.equal(response.status, 206);
    assert.equal(await response.text(), body.slice(8, 13));
    assert.equal(response.headers.get('content-range'), `bytes 8-12/${body.length}`);
    const tail = await fetch(`${url}/vtt`, { headers: { range: 'bytes=-5' } });
    assert.equal(tail.status, 206);
    assert.equal(await tail.text(), body.slice(-5));
  });

  it('answers 416 to a range past the end, and the whole file to a malformed one', async () => {
    const past = await fetch(`${url}/vtt`, { headers: { range: `bytes=${body.length + 10}-` } });
    assert.equal(past.status, 416);
    assert.equal(past.headers.get('content-range'), `bytes */${body.length}`);
    const malformed = await fetch(`${url}/vtt`, { headers: { range: 'lines=1-2' } });
    assert.equal(malformed.status, 200);
    assert.equal(await malformed.text(), body);
  });

  it('HEAD answers the headers without reading the file; a file gone from storage is reported, not sent', async () => {
    const head = await fetch(`${url}/vtt`, { method: 'HEAD' });
    assert.equal(head.status, 200);
    assert.equal(head.headers.get('content-length'), String(body.length));
    const gone = await fetch(`${url}/gone`);
    assert.equal(gone.status, 404);
    assert.deepEqual(await gone.json(), { missing: true });
  });
});

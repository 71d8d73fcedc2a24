/**
 * Memory is bounded in total, not per request: parsed bins by the bytes they hold, image payloads by the bytes in
 * flight across all requests (real concurrent bridge requests whose clients do not read, so every answer stays in
 * flight), and a repeated target cannot multiply a payload.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { startViewerServer, TOKEN_HEADER } from '../../../main/http-bridge/index.ts';
import { AccessList } from '../../../main/access/allow-list.ts';
import { BinCache } from '../../../main/ipc/bin-cache.ts';
import { openBin, type Bin } from '../../../main/ifcb/index.ts';
import { writeSyntheticBin, type SyntheticBin } from '../../helpers/synthetic-bin.ts';
import { makeTempDir, removeTempDir } from '../../helpers/temp.ts';
import { waitFor } from '../../helpers/wait-for.ts';

const MiB = 1024 * 1024;

describe('memory bounds', () => {
  let dir: string;
  let big: SyntheticBin;
  before(() => {
    dir = makeTempDir('ifcb-memory-');
    // 24 images of exactly 1 MiB each
    big = writeSyntheticBin(dir, { targets: 24, emptyEvery: 0, minSize: 1024, maxSize: 1024, seed: 8 });
  });
  after(() => removeTempDir(dir));

  it('the bin cache is bounded by the bytes its parsed bins hold, keeping the bin in use', () => {
    const bins = [1, 2, 3].map((seed) => writeSyntheticBin(dir, { targets: 2000, seed, epochMs: Date.UTC(2024, 1, seed) }));
    const access = new AccessList();
    access.allowRoot(dir);
    const opened: string[] = [];
    const cache = new BinCache(access, {
      maxBytes: 1_000_000,
      openBin: (p: string): Bin => {
        opened.push(p);
        return openBin(p);
      },
    });
    const use = (i: number) => {
      const bin = cache.get(bins[i]!.id);
      void bin.adc; // parsed, as a metadata request does
      return bin;
    };
    for (const b of bins) cache.register(b.paths.adc);
    opened.length = 0;
    const first = use(0);
    // each parsed schema-2 bin of 2,000 rows holds 2,000 × (24 × 8 + 160) bytes
    assert.equal(first.parsedBytes, 704_000);
    use(1); // 0 and 1 both cached: 704,000 + (1 not yet parsed)
    use(2); // 0 + 1 = 1,408,000 > 1,000,000: the least recently used (0) goes
    assert.ok(cache.bytes <= 1_000_000 + 704_000, `${cache.bytes}`);
    assert.equal(cache.size, 2);
    opened.length = 0;
    use(1); // still cached: not opened again
    assert.deepEqual(opened, []);
    use(0); // evicted earlier: opened again
    assert.deepEqual(opened, [bins[0]!.paths.adc]);
    // one bin larger than the whole budget stays while in use
    const tiny = new BinCache(access, { maxBytes: 1 });
    tiny.register(bins[2]!.paths.adc);
    void tiny.get(bins[2]!.id).adc;
    assert.equal(tiny.size, 1);
  });

  it('40 concurrent clients that do not read: image bytes in flight never pass the bound, the rest answer BUSY, all is released', async () => {
    const limit = 48 * MiB;
    const server = await startViewerServer({ files: [big.paths.adc], maxImageBytesInFlight: limit });
    try {
      const budget = server.ctx.imageBytes;
      let peak = 0;
      const reserve = budget.reserve.bind(budget);
      budget.reserve = (bytes: number) => {
        reserve(bytes);
        peak = Math.max(peak, budget.inFlight);
      };
      // each request: 16 different images of 1 MiB = 16 MiB, far more than a socket buffers
      const body = JSON.stringify({ binId: big.id, targets: big.images.slice(0, 16).map((i) => i.target) });
      const request = `POST /api/bin:roi-images HTTP/1.1\r\nHost: 127.0.0.1:${server.port}\r\n${TOKEN_HEADER}: ${server.token}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
      const sockets = await Promise.all(
        Array.from({ length: 40 }, () => new Promise<net.Socket>((resolve, reject) => {
          const socket = net.connect(server.port, '127.0.0.1', () => resolve(socket));
          socket.once('error', reject);
        })),
      );
      const answers = sockets.map((socket) => {
        socket.pause(); // a client that does not read: its answer stays in flight
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        const ended = new Promise<Buffer>((resolve) => socket.once('end', () => resolve(Buffer.concat(chunks))));
        socket.write(request);
        return ended;
      });
      // every request has been answered (held or refused) while no client reads
      await waitFor(() => server.ctx.imageBytes.inFlight === limit, 20_000, 'three 16 MiB answers held in flight');
      assert.equal(peak, limit, 'never more than the bound');
      for (const socket of sockets) socket.resume();
      const responses = (await Promise.all(answers)).map((b) => b.subarray(0, b.indexOf('\r\n\r\n')).toString('latin1'));
      const held = responses.filter((r) => /^HTTP\/1\.1 200/.test(r) && /application\/octet-stream/.test(r)).length;
      const busy = (await Promise.all(answers)).filter((b) => b.toString('latin1').includes('"code":"BUSY"')).length;
      assert.equal(held + busy, 40);
      assert.ok(held >= 3 && busy >= 1, `${held} held, ${busy} busy`);
      await waitFor(() => server.ctx.imageBytes.inFlight === 0, 10_000, 'every payload released once written');
    } finally {
      await server.close();
    }
  });
});

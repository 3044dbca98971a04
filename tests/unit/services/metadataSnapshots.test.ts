import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pullMetadata } from '../../../electron/services/metadata/metadataPull';
import {
  COMPILED_FILE,
  MetadataSnapshots,
  SNAPSHOTS_KEPT,
  loadSnapshotCatalog,
} from '../../../electron/services/metadata/metadataSnapshots';
import { BUILT_IN_CATALOG } from '../../../shared/domain/catalog';
import { indexLayers } from '../../../shared/domain/catalog/layers';
import type { MetadataPullProgress } from '../../../shared/api/domains/catalog';
import { generatedMetadata } from '../../support/generatedMetadata';

let scratch: string;
const ENTITIES = 3000;
const docs = generatedMetadata(ENTITIES);

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'dmfw-snapshots-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

/**
 * An environment serving the generated documents: $metadata in 64 KiB chunks (a response body),
 * DataEntities paged with @odata.nextLink as the metadata service may, Labels refused.
 */
function environment(served = docs, options: { labels?: boolean } = {}) {
  const asked: string[] = [];
  const pageSize = 1000;
  return {
    asked,
    dmf: {
      async metadataDocument(path: string): Promise<Response> {
        asked.push(path);
        if (path === '/data/$metadata') {
          const bytes = new TextEncoder().encode(served.edmx);
          let at = 0;
          const body = new ReadableStream<Uint8Array>({
            pull(controller) {
              if (at >= bytes.length) return controller.close();
              controller.enqueue(bytes.subarray(at, (at += 65_536)));
            },
          });
          return new Response(body, { headers: { 'content-length': String(bytes.length) } });
        }
        const paged = /^\/Metadata\/DataEntities(?:\?\$skip=(\d+))?$/.exec(path);
        if (paged) {
          const skip = Number(paged[1] ?? 0);
          const value = served.dataEntities.value.slice(skip, skip + pageSize);
          const more = skip + pageSize < served.dataEntities.value.length;
          return Response.json({
            value,
            ...(more
              ? { '@odata.nextLink': `https://env.example/Metadata/DataEntities?$skip=${skip + pageSize}` }
              : {}),
          });
        }
        if (path === '/Metadata/PublicEnumerations') return Response.json(served.publicEnumerations);
        if (path === '/Metadata/Labels' && options.labels) return Response.json(served.labels);
        throw new Error(`${path} was not found (HTTP 404).`);
      },
      async versions() {
        return { application: '10.0.41', platform: null };
      },
    },
  };
}

describe('metadata snapshots', () => {
  it('pulls a generated 3,000-entity environment into a snapshot that loads from its compiled form', async () => {
    const store = new MetadataSnapshots(join(scratch, 'a'));
    const env = environment();
    const progress: MetadataPullProgress[] = [];
    const saved = await pullMetadata({
      dmf: env.dmf,
      environment: { id: 'env-1', name: 'USMF-UAT', url: 'https://usmf-uat.example' },
      store,
      onProgress: (p) => progress.push(p),
      now: () => new Date('2026-12-01T09:30:00Z'),
    });
    expect(saved).toMatchObject({
      label: 'USMF-UAT metadata of 2026-12-01',
      entities: ENTITIES,
      version: { application: '10.0.41', platform: null },
    });
    // Every page of DataEntities was followed, and the pages were saved as one document.
    expect(env.asked.filter((p) => p.startsWith('/Metadata/DataEntities'))).toHaveLength(3);
    const dataEntities = JSON.parse(await readFile(join(saved.folder, 'DataEntities.json'), 'utf8')) as {
      value: unknown[];
    };
    expect(dataEntities.value).toHaveLength(ENTITIES);
    // Labels not served: said, not failed.
    expect(saved.documents.map((d) => d.file)).not.toContain('Labels.json');
    expect(saved.notes[0]).toMatch(/did not serve \/Metadata\/Labels/);
    expect(progress.some((p) => p.phase === 'download' && p.document === '/data/$metadata' && p.total !== null)).toBe(
      true,
    );
    expect(progress.at(-1)).toMatchObject({ phase: 'done' });
    // The built-in entities are all there with their staging fields.
    expect(saved.matching.missingEntities).toEqual([]);
    expect(saved.matching.entitiesMatched).toBe(BUILT_IN_CATALOG.entities.length);

    const loaded = await loadSnapshotCatalog(saved.folder);
    expect(loaded.compiled).toBe(true);
    const index = indexLayers({ metadata: loaded.catalog, builtIn: BUILT_IN_CATALOG });
    const customers = index.requireEntity('Customers V3');
    expect(index.provenanceOf(customers)).toEqual({ layer: 'metadata', label: 'USMF-UAT metadata of 2026-12-01' });
    expect((await store.latest('env-1'))?.info.hash).toBe(saved.hash);
  }, 180_000);

  it('builds the catalog again from the raw documents when the compiled form is damaged, and refuses changed documents', async () => {
    const store = new MetadataSnapshots(join(scratch, 'b'));
    const small = generatedMetadata(200);
    const saved = await pullMetadata({
      dmf: environment(small, { labels: true }).dmf,
      environment: { id: 'env-2', name: 'DEV', url: null },
      store,
    });
    expect(saved.documents.map((d) => d.file)).toContain('Labels.json');
    await writeFile(join(saved.folder, COMPILED_FILE), '{"format":1,"catalog":{"entities":[');
    const rebuilt = await loadSnapshotCatalog(saved.folder);
    expect(rebuilt.compiled).toBe(false);
    expect(rebuilt.catalog.entities).toHaveLength(200);
    // …and wrote it anew.
    expect((await loadSnapshotCatalog(saved.folder)).compiled).toBe(true);

    await writeFile(join(saved.folder, COMPILED_FILE), 'damaged');
    await writeFile(join(saved.folder, 'PublicEnumerations.json'), '{"value":[]}');
    await expect(loadSnapshotCatalog(saved.folder)).rejects.toThrow(
      /PublicEnumerations\.json: does not match the hash recorded when it was pulled/,
    );
  }, 120_000);

  it(`keeps the newest ${SNAPSHOTS_KEPT} snapshots of an environment, and leaves the last one when a pull fails`, async () => {
    const store = new MetadataSnapshots(join(scratch, 'c'));
    const small = generatedMetadata(160);
    for (let day = 1; day <= SNAPSHOTS_KEPT + 1; day++) {
      await pullMetadata({
        dmf: environment(small).dmf,
        environment: { id: 'env-3', name: 'TEST', url: null },
        store,
        now: () => new Date(`2026-11-0${day}T08:00:00Z`),
      });
    }
    const kept = await store.list('env-3');
    expect(kept.map((s) => s.info.pulledAt.slice(0, 10))).toEqual(['2026-11-04', '2026-11-03', '2026-11-02']);

    const broken = { ...small, edmx: small.edmx.replace('</edmx:Edmx>', '') };
    await expect(
      pullMetadata({ dmf: environment(broken).dmf, environment: { id: 'env-3', name: 'TEST', url: null }, store }),
    ).rejects.toThrow(/The metadata of TEST could not be read: .*The earlier snapshot \(if any\) is kept/);
    expect((await store.list('env-3')).map((s) => s.folder)).toEqual(kept.map((s) => s.folder));
  }, 120_000);
});

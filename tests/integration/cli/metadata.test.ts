import { createHash } from 'node:crypto';
import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../emulator';
import type { Emulator } from '../../../emulator';
import { main } from '../../../electron/cli/main';
import { recordingIo } from '../../support/cliIo';

/**
 * Issue 10 item 1 end to end: `dmfw metadata pull` against the emulator saves its documents with
 * date and hashes, and from then on `--env` works offline (the emulator is stopped).
 */
let emulator: Emulator;
let home: string;
let work: string;

async function dmfw(...args: string[]) {
  const streams = recordingIo(work, { DMFW_HOME: home });
  const code = await main(args, streams);
  return { code, stdout: streams.out(), stderr: streams.err() };
}

beforeAll(async () => {
  emulator = await startEmulator({ speed: 'max' });
  home = await mkdtemp(join(tmpdir(), 'dmfw-metadata-home-'));
  work = await mkdtemp(join(tmpdir(), 'dmfw-metadata-work-'));
  await writeFile(join(work, 'groups.csv'), `CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\nG1,${'x'.repeat(70)},Net30\n`);
}, 120_000);
afterAll(async () => {
  await emulator?.stop();
  await rm(home, { recursive: true, force: true });
  await rm(work, { recursive: true, force: true });
});

describe('dmfw metadata', () => {
  it('says there is no snapshot yet, and how to make one', async () => {
    await dmfw(
      ...['envs', 'add', '--name', 'Emu', '--url', emulator.baseUrl, '--tenant', emulator.tenantId],
      ...['--client-id', emulator.clientId, '--authority', emulator.authority],
    );
    const list = await dmfw('metadata', 'list', '--env', 'Emu');
    expect(list).toMatchObject({ code: 0, stdout: expect.stringContaining('No metadata snapshot of Emu yet') });
    const validate = await dmfw('validate', '--entity', 'Customer groups', 'groups.csv', '--env', 'Emu');
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(/no metadata snapshot of Emu yet: run `dmfw metadata pull --env "Emu"`/);
    expect((await dmfw('validate', 'groups.csv', '--entity', 'x', '--env', 'Emu', '--metadata', 'm')).stderr).toMatch(
      /not both/,
    );
  });

  it('pulls the documents with their hashes, matches staging fields and copies them with --out', async () => {
    expect((await dmfw('login', '--env', 'Emu')).code).toBe(0);
    const pulled = await dmfw('metadata', 'pull', '--env', 'Emu', '--out', 'saved', '--json');
    expect(pulled.stderr).toBe('');
    expect(pulled.code).toBe(0);
    const snapshot = JSON.parse(pulled.stdout) as {
      label: string;
      entities: number;
      folder: string;
      documents: { file: string; path: string; bytes: number; sha256: string }[];
      matching: { entitiesMatched: number; fieldsMatched: number; missingEntities: string[] };
    };
    expect(snapshot.label).toMatch(/^Emu metadata of \d{4}-\d{2}-\d{2}$/);
    expect(snapshot.entities).toBeGreaterThan(100);
    expect(snapshot.documents.map((d) => d.path)).toEqual([
      '/data/$metadata',
      '/Metadata/DataEntities',
      '/Metadata/PublicEnumerations',
      '/Metadata/Labels',
    ]);
    expect(snapshot.folder.startsWith(join(home, 'metadata'))).toBe(true);
    for (const d of snapshot.documents) {
      const bytes = await readFile(join(snapshot.folder, d.file));
      expect(bytes.length).toBe(d.bytes);
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(d.sha256);
    }
    // The emulator serves the built-in catalog: every built-in entity and its staging fields match.
    expect(snapshot.matching.missingEntities).toEqual([]);
    expect(snapshot.matching.entitiesMatched).toBeGreaterThan(100);
    expect((await readdir(join(work, 'saved'))).sort()).toEqual(
      expect.arrayContaining(['$metadata.xml', 'DataEntities.json', 'catalog.json', 'snapshot.json']),
    );
    const text = await dmfw('metadata', 'list', '--env', 'Emu');
    expect(text.stdout).toMatch(/just now/);
  });

  it('uses the snapshot offline with --env, naming it as the source of its rules', async () => {
    await emulator.stop();
    const catalog = await dmfw('catalog', '--env', 'Emu');
    expect(catalog.code).toBe(0);
    expect(catalog.stdout).toMatch(/entities in the Emu catalog/);
    const validate = await dmfw('validate', '--entity', 'Customer groups', 'groups.csv', '--env', 'Emu');
    // DESCRIPTION is 60 characters in the environment's metadata: F&O's own rule, an error.
    expect(validate.stdout).toMatch(/max-length.*\(rule: Emu metadata of \d{4}-\d{2}-\d{2}\)/);
    expect(validate.code).toBe(1);
    // The copy made with --out is a metadata folder of its own.
    const fromFolder = await dmfw('validate', '--entity', 'Customer groups', 'groups.csv', '--metadata', 'saved');
    expect(fromFolder.stdout).toMatch(/\(rule: Emu metadata of /);
  });
});

/**
 * Fuzzing the package engine with generated malformed input: zips, manifests, CSV, xlsx and XML
 * data files, at least 200 of each kind, from a fixed seed (a failure names its case so it can be
 * replayed). Every input must either be read or be refused with an InputFileError (AppError
 * INVALID_INPUT naming the file, and the line or entry where there is one), quickly: no crash,
 * no other exception, no hang.
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lintPackage } from '../../../electron/services/packages/lint';
import {
  readManifest,
  writeManifest,
  writePackageHeader,
} from '../../../electron/services/packages/manifest/manifestXml';
import { openPackage } from '../../../electron/services/packages/packageReader';
import { PackageWriter } from '../../../electron/services/packages/packageWriter';
import { openCsvReader } from '../../../electron/services/sources/csv/csvReader';
import { InputFileError } from '../../../electron/services/sources/inputError';
import { bufferSource } from '../../../electron/services/sources/rows';
import type { RowReader } from '../../../electron/services/sources/rows';
import { openXlsxReader } from '../../../electron/services/sources/xlsx/xlsxReader';
import { createXlsxWriter } from '../../../electron/services/sources/xlsx/xlsxWriter';
import { openXmlReader } from '../../../electron/services/sources/xml/xmlReader';
import {
  createEntityMap,
  createManifest,
  createPackageEntity,
  createPackageHeader,
} from '../../../shared/domain/package/model';
import { REAL_PACKAGE } from '../../support/paths';
import { rawZip } from '../../support/rawZip';
import { seededRandom } from '../../support/random';

const SEED = 0x5eed_2026;
const CASES_PER_KIND = 220;
/** Per input; generous for a loaded CI machine, far below what a hang would take. */
const TIME_LIMIT_MS = 5_000;

/** mulberry32: small, fast, deterministic. */
function prng(seed: number) {
  const next = seededRandom(seed);
  const int = (n: number) => Math.floor(next() * n);
  return {
    next,
    int,
    pick: <T>(list: readonly T[]): T => list[int(list.length)]!,
    bytes: (n: number) => Buffer.from(Array.from({ length: n }, () => int(256))),
  };
}
type Rng = ReturnType<typeof prng>;

/** Byte-level damage: flip, overwrite, delete, insert, truncate, duplicate a slice. */
function mutateBytes(input: Buffer, rng: Rng): Buffer {
  let b = Buffer.from(input);
  const edits = 1 + rng.int(4);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(Math.max(1, b.length));
    switch (rng.int(6)) {
      case 0:
        b[at] = b[at]! ^ (1 << rng.int(8));
        break;
      case 1:
        rng.bytes(1 + rng.int(32)).copy(b, at);
        break;
      case 2:
        b = Buffer.concat([b.subarray(0, at), b.subarray(Math.min(b.length, at + 1 + rng.int(64)))]);
        break;
      case 3:
        b = Buffer.concat([b.subarray(0, at), rng.bytes(1 + rng.int(64)), b.subarray(at)]);
        break;
      case 4:
        b = b.subarray(0, at);
        break;
      default: {
        const from = rng.int(Math.max(1, b.length));
        b = Buffer.concat([b.subarray(0, at), b.subarray(from, from + rng.int(256)), b.subarray(at)]);
      }
    }
  }
  return b;
}

/** Text-level damage that keeps most of the structure: the cases parsers have to think about. */
function mutateText(input: string, rng: Rng, specials: readonly string[]): string {
  let s = input;
  const edits = 1 + rng.int(3);
  for (let e = 0; e < edits; e++) {
    const at = rng.int(Math.max(1, s.length));
    switch (rng.int(4)) {
      case 0:
        s = s.slice(0, at) + rng.pick(specials) + s.slice(at);
        break;
      case 1:
        s = s.slice(0, at) + s.slice(at + 1 + rng.int(20));
        break;
      case 2:
        s = s.slice(0, at);
        break;
      default:
        s = s.slice(0, at) + String.fromCharCode(rng.int(0x3000)) + s.slice(at);
    }
  }
  return s;
}

interface Outcome {
  readonly kind: 'read' | 'refused';
  readonly error?: InputFileError;
}

/** Runs one case: it must finish in time and either succeed or throw an InputFileError. */
async function attempt(label: string, work: () => Promise<unknown>): Promise<Outcome> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${label}: took longer than ${TIME_LIMIT_MS} ms (a hang?)`)),
      TIME_LIMIT_MS,
    );
  });
  try {
    await Promise.race([work(), timeout]);
    return { kind: 'read' };
  } catch (error) {
    if (error instanceof InputFileError) return { kind: 'refused', error };
    throw new Error(
      `${label}: threw ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)} instead of an InputFileError`,
      { cause: error },
    );
  } finally {
    clearTimeout(timer);
  }
}

async function drain(reader: RowReader): Promise<void> {
  for await (const _batch of reader) {
    // Reading every row is the point; the rows themselves are not needed.
  }
}

/** Checks the refusals: INVALID_INPUT, named after the input, with a place when one exists. */
function expectCleanRefusals(
  outcomes: readonly Outcome[],
  file: string,
  minRefused: number,
  positioned: (e: InputFileError) => boolean,
) {
  const refused = outcomes.filter((o) => o.kind === 'refused').map((o) => o.error!);
  expect(outcomes.length).toBeGreaterThanOrEqual(200);
  expect(refused.length).toBeGreaterThanOrEqual(minRefused);
  for (const e of refused) {
    expect(e.code).toBe('INVALID_INPUT');
    expect(e.details.file).toBe(file);
    expect(e.message.startsWith(file)).toBe(true);
  }
  const withPlace = refused.filter(positioned).length;
  // Nearly every refusal says where; the rest are about the input as a whole (empty, not a zip).
  expect(withPlace / refused.length).toBeGreaterThan(0.8);
}

let dir: string;
const GOOD_CSV =
  'CUSTOMERGROUPID,DESCRIPTION,PAYMENTTERMID\r\n10,"Wholesale, big",Net30\r\n20,"He said ""hi""",Net10\r\n30,"two\r\nlines",COD\r\n';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'dmfw-fuzz-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe(`package engine fuzz (seed ${SEED.toString(16)})`, () => {
  it('zips: every damaged package is read or refused cleanly', async () => {
    const rng = prng(SEED);
    const built = join(dir, 'built.zip');
    const entity = createPackageEntity({
      label: 'Customer groups',
      inputFilePath: 'Customer groups.csv',
      sourceFormat: 'CSV-Unicode',
      maps: ['CUSTOMERGROUPID', 'DESCRIPTION', 'PAYMENTTERMID'].map((c) => createEntityMap(c)),
    });
    const writer = await PackageWriter.create(built);
    await writer.writeRows(
      entity,
      ['CUSTOMERGROUPID', 'DESCRIPTION', 'PAYMENTTERMID'],
      [
        [
          ['10', 'a', 'b'],
          ['20', 'c', 'd'],
        ],
      ],
    );
    await writer.finish(createPackageHeader('F'), createManifest('F', [entity]));
    const bases = [await readFile(built), await readFile(REAL_PACKAGE)];
    const hostile = (i: number): Buffer =>
      rawZip([
        {
          name: rng.pick(['../x.csv', '/abs.csv', 'C:/x.csv', 'a\\..\\b.csv', 'Manifest.xml']),
          data: rng.bytes(rng.int(200)),
        },
        {
          name: 'Manifest.xml',
          data: rng.bytes(50),
          claimedSize: i % 3 === 0 ? 2 ** 31 : undefined,
          method: rng.pick([0, 8, 8, 14]),
        },
      ]);
    const outcomes: Outcome[] = [];
    for (let i = 0; i < CASES_PER_KIND; i++) {
      const bytes = i % 10 === 9 ? hostile(i) : mutateBytes(rng.pick(bases), rng);
      const path = join(dir, `case-${i}.zip`);
      await writeFile(path, bytes);
      outcomes.push(
        await attempt(`zip case ${i}`, async () => {
          const pkg = await openPackage(path, { displayName: 'fuzz.zip' });
          try {
            await lintPackage(pkg);
          } finally {
            await pkg.close();
          }
        }),
      );
    }
    expectCleanRefusals(
      outcomes,
      'fuzz.zip',
      100,
      (e) =>
        e.details.entry !== undefined || /is not a readable zip|central directory|zip bomb|entries/.test(e.message),
    );
  });

  it('manifests: every damaged Manifest.xml is read or refused cleanly', async () => {
    const rng = prng(SEED + 1);
    const real = await (async () => {
      const pkg = await openPackage(REAL_PACKAGE);
      const m = pkg.manifest;
      await pkg.close();
      return writeManifest(m).toString('utf16le', 2);
    })();
    const specials = [
      '<',
      '>',
      '&',
      '&lol;',
      '<!DOCTYPE x [<!ENTITY lol "lol">]>',
      ']]>',
      '<![CDATA[x]]>',
      '</EntityMap>',
      '<X>',
      '"',
      '\u0000',
      '\u0001',
      'i:nil="true"',
      '<?xml version="1.0"?>',
      '\ufffe',
    ];
    const outcomes: Outcome[] = [];
    for (let i = 0; i < CASES_PER_KIND; i++) {
      const text = mutateText(real, rng, specials);
      const encoding = rng.pick(['utf16', 'utf8', 'utf8-declared', 'latin1']);
      const bytes =
        encoding === 'utf16'
          ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
          : encoding === 'utf8-declared'
            ? Buffer.from(`<?xml version="1.0" encoding="utf-8"?>${text}`, 'utf8')
            : Buffer.from(text, encoding === 'latin1' ? 'latin1' : 'utf8');
      outcomes.push(
        await attempt(`manifest case ${i}`, async () =>
          readManifest(rng.next() < 0.1 ? mutateBytes(bytes, rng) : bytes, { file: 'Manifest.xml' }),
        ),
      );
    }
    expectCleanRefusals(
      outcomes,
      'Manifest.xml',
      150,
      (e) => e.details.line !== undefined || /no root element|not a DMF|never near/.test(e.message),
    );
    // The header reader shares the code; one hostile case as a check.
    expect(() => readManifest(writePackageHeader(createPackageHeader('x')), { file: 'Manifest.xml' })).toThrow(
      InputFileError,
    );
  });

  it('CSV: every malformed file is read or refused cleanly, in any encoding', async () => {
    const rng = prng(SEED + 2);
    const specials = ['"', '""', '\r', '\n', '\r\n', ',', ';', '\u0000', '\t', '"x"y', '\ufeff'];
    const outcomes: Outcome[] = [];
    for (let i = 0; i < CASES_PER_KIND; i++) {
      const text = mutateText(GOOD_CSV, rng, specials);
      const form = rng.int(5);
      const bytes =
        form === 0
          ? Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text, 'utf16le')])
          : form === 1
            ? mutateBytes(Buffer.from(text, 'utf8'), rng)
            : form === 2
              ? rng.bytes(1 + rng.int(500))
              : Buffer.from(text, 'utf8');
      const encoding =
        rng.next() < 0.15
          ? rng.pick(['utf-8', 'utf-16le', 'windows-1252', 'shift_jis', 'no-such-encoding'])
          : undefined;
      outcomes.push(
        await attempt(`csv case ${i}`, async () =>
          drain(
            await openCsvReader(bufferSource('fuzz.csv', bytes), {
              ...(encoding ? { encoding } : {}),
              maxRecordChars: 64 * 1024,
            }),
          ),
        ),
      );
    }
    expectCleanRefusals(
      outcomes,
      'fuzz.csv',
      60,
      (e) => e.details.line !== undefined || /is not an encoding/.test(e.message),
    );
  });

  it('XML data files: every malformed file is read or refused cleanly', async () => {
    const rng = prng(SEED + 3);
    const attributeXml =
      '<?xml version="1.0" encoding="utf-8"?>\r\n<Document>\r\n  <R A="1" B="x &amp; y" />\r\n  <R A="2" B="" />\r\n</Document>\r\n';
    const elementXml = '<Document><R><A>1</A><B>x</B></R><R><A>2</A><B /></R></Document>';
    const specials = [
      '<',
      '>',
      '&',
      '&x;',
      '<!DOCTYPE d [<!ENTITY x "y">]>',
      '<R>',
      '</R>',
      '<C D="1"/>',
      '"',
      '\u0000',
      '<![CDATA[z]]>',
      'encoding="utf-16"',
    ];
    const outcomes: Outcome[] = [];
    for (let i = 0; i < CASES_PER_KIND; i++) {
      const style = i % 2 === 0 ? 'attribute' : 'element';
      const text = mutateText(style === 'attribute' ? attributeXml : elementXml, rng, specials);
      const bytes = rng.next() < 0.2 ? mutateBytes(Buffer.from(text, 'utf8'), rng) : Buffer.from(text, 'utf8');
      outcomes.push(
        await attempt(`xml case ${i}`, async () =>
          drain(await openXmlReader(bufferSource('fuzz.xml', bytes), { style })),
        ),
      );
    }
    expectCleanRefusals(outcomes, 'fuzz.xml', 150, (e) => e.details.line !== undefined);
  });

  it('xlsx: every damaged workbook is read or refused cleanly', async () => {
    const rng = prng(SEED + 4);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (c: Buffer) => chunks.push(c));
    const writer = createXlsxWriter(out, { columns: ['A', 'B'], file: 'x.xlsx', sheetName: 'S' });
    await writer.write([
      ['1', 'x'],
      ['2', 'y & z'],
      ['3', ''],
    ]);
    await writer.end();
    const good = Buffer.concat(chunks);
    const sheet =
      '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><t>B</t></is></c></row><row r="2"><c r="A2" t="s"><v>1</v></c><c r="B2" s="1"><v>45351</v></c></row></sheetData></worksheet>';
    const workbook =
      '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>';
    const rels =
      '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="x" Target="worksheets/sheet1.xml"/></Relationships>';
    const shared =
      '<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>A</t></si><si><r><t>x</t></r><r><t>y</t></r></si></sst>';
    const specials = ['<', '&', '<!DOCTYPE x>', '<v>99</v>', 'r="ZZZZ1"', '</row>', 't="s"', '\u0000', '<c r="A1">'];
    const outcomes: Outcome[] = [];
    for (let i = 0; i < CASES_PER_KIND; i++) {
      let bytes: Buffer;
      if (i % 2 === 0) {
        bytes = mutateBytes(good, rng);
      } else {
        const part = rng.int(4);
        bytes = rawZip([
          { name: 'xl/workbook.xml', data: Buffer.from(part === 0 ? mutateText(workbook, rng, specials) : workbook) },
          {
            name: 'xl/_rels/workbook.xml.rels',
            data: Buffer.from(part === 1 ? mutateText(rels, rng, specials) : rels),
          },
          { name: 'xl/sharedStrings.xml', data: Buffer.from(part === 2 ? mutateText(shared, rng, specials) : shared) },
          {
            name: 'xl/worksheets/sheet1.xml',
            data: Buffer.from(part === 3 ? mutateText(sheet, rng, specials) : sheet),
          },
        ]);
      }
      outcomes.push(
        await attempt(`xlsx case ${i}`, async () => drain(await openXlsxReader(bufferSource('fuzz.xlsx', bytes)))),
      );
    }
    expectCleanRefusals(
      outcomes,
      'fuzz.xlsx',
      100,
      (e) =>
        e.details.line !== undefined ||
        e.details.entry !== undefined ||
        /is not a readable zip|corrupt central directory|not an Excel workbook|no worksheets|is damaged/.test(
          e.message,
        ),
    );
  });
});

import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { pack } from '../../../electron/services/packages/pack';
import { openPackage } from '../../../electron/services/packages/packageReader';
import { ZipArchive } from '../../../electron/services/packages/zip/zipReader';
import { BUILT_IN_CATALOG, indexCatalog } from '../../../shared/domain/catalog';
import { errorOf, readAll } from '../../support/rowSources';
import { tempDirs } from '../../support/tempDir';

const temp = tempDirs();
const catalog = indexCatalog(BUILT_IN_CATALOG);

async function packedFile(zip: string, name: string): Promise<Buffer> {
  const archive = await ZipArchive.open(zip);
  try {
    return await archive.readEntry(name, 1 << 24);
  } finally {
    archive.close();
  }
}

describe('pack', () => {
  it('copies a CSV already in the target dialect byte for byte, and rewrites one that is not', async () => {
    const dir = await temp.make();
    const crlf = 'CUSTOMERGROUPID,DESCRIPTION\r\n10,Wholesale\r\n20,"Retail, small"\r\n';
    await writeFile(join(dir, 'crlf.csv'), crlf);
    await writeFile(join(dir, 'lf.csv'), crlf.replace(/\r\n/g, '\n'));
    const notices: string[] = [];
    const a = await pack({
      out: join(dir, 'a.zip'),
      entities: [{ entity: 'Customer groups', file: join(dir, 'crlf.csv') }],
      catalog,
      onNotice: (m) => notices.push(m),
    });
    expect(a.entities[0]!.copied).toBe(true);
    expect(notices.join('\n')).toMatch(/copied as it is/);
    expect((await packedFile(join(dir, 'a.zip'), 'Customer groups.csv')).toString('latin1')).toBe(crlf);

    const b = await pack({
      out: join(dir, 'b.zip'),
      entities: [{ entity: 'Customer groups', file: join(dir, 'lf.csv') }],
      catalog,
    });
    // Converted on its bytes: CRLF line endings, values and their quoting as they are.
    expect(b.entities[0]!.copied).toBe(true);
    expect((await packedFile(join(dir, 'b.zip'), 'Customer groups.csv')).toString('latin1')).toBe(crlf);

    // A different delimiter is rewritten by the CSV writer: CRLF, every field quoted.
    await writeFile(join(dir, 'semi.csv'), crlf.replace(/,/g, ';').replace('"Retail; small"', '"Retail, small"'));
    const c = await pack({
      out: join(dir, 'c.zip'),
      entities: [{ entity: 'Customer groups', file: join(dir, 'semi.csv') }],
      catalog,
    });
    expect(c.entities[0]!.copied).toBe(false);
    expect((await packedFile(join(dir, 'c.zip'), 'Customer groups.csv')).toString('latin1')).toBe(
      '"CUSTOMERGROUPID","DESCRIPTION"\r\n"10","Wholesale"\r\n"20","Retail, small"\r\n',
    );
  });

  it('packs UTF-8 as Windows-1252 CSV (Latin text survives), and refuses characters the code page lacks', async () => {
    const dir = await temp.make();
    const text = `CUSTOMERGROUPID,DESCRIPTION\r\n${Array.from({ length: 3000 }, (_, i) => `G${i},Groupe spécial n° ${i} – Müller`).join('\r\n')}\r\n`;
    await writeFile(join(dir, 'latin.csv'), text, 'utf8');
    const result = await pack({
      out: join(dir, 'latin.zip'),
      entities: [{ entity: 'Customer groups', file: join(dir, 'latin.csv') }],
      catalog,
    });
    expect(result.entities[0]).toMatchObject({ copied: true, rows: 3000 });
    expect(
      (await packedFile(join(dir, 'latin.zip'), 'Customer groups.csv')).equals(iconv.encode(text, 'windows-1252')),
    ).toBe(true);
    const pkg = await openPackage(join(dir, 'latin.zip'));
    const rows = (await readAll(await pkg.openRows(pkg.manifest.entities[0]!))).rows;
    expect(rows[2999]).toEqual(['G2999', 'Groupe spécial n° 2999 – Müller']);
    await pkg.close();

    await writeFile(join(dir, 'cjk.csv'), 'CUSTOMERGROUPID,DESCRIPTION\r\n10,東京\r\n', 'utf8');
    const error = await errorOf(() =>
      pack({
        out: join(dir, 'cjk.zip'),
        entities: [{ entity: 'Customer groups', file: join(dir, 'cjk.csv') }],
        catalog,
      }),
    );
    expect(error.message).toMatch(
      /cjk\.csv, line 2: contains "東", which the CSV format \(Windows-1252\) cannot hold\. Pack it with --format CSV-Unicode/,
    );
    expect((await readdir(dir)).filter((f) => f.endsWith('.zip'))).toEqual(['latin.zip']);
    const unicode = await pack({
      out: join(dir, 'cjk.zip'),
      format: 'CSV-Unicode',
      entities: [{ entity: 'Customer groups', file: join(dir, 'cjk.csv') }],
      catalog,
    });
    expect(unicode.packages).toHaveLength(1);
  });

  it('maps columns to staging fields through the catalog, and 1:1 for entities it does not know', async () => {
    const dir = await temp.make();
    await writeFile(
      join(dir, 'c.csv'),
      'CustomerAccount,organizationname,CUSTOMERGROUPID,SALESCURRENCYCODE\r\nC1,Contoso,10,USD\r\n',
    );
    await writeFile(join(dir, 'x.csv'), 'Code,Name\r\nA,B\r\n');
    const notices: string[] = [];
    const result = await pack({
      out: join(dir, 'm.zip'),
      entities: [
        { entity: 'CustCustomerV3Entity', file: join(dir, 'c.csv') },
        { entity: 'My custom entity', file: join(dir, 'x.csv') },
      ],
      catalog,
      onNotice: (m) => notices.push(m),
    });
    expect(result.entities.map((e) => [e.label, e.targetEntity])).toEqual([
      ['Customers V3', 'CustCustomerV3Entity'],
      ['My custom entity', null],
    ]);
    expect(result.entities[0]!.maps.map((m) => `${m.xmlField}>${m.entityField}`)).toEqual([
      'CustomerAccount>CUSTOMERACCOUNT',
      'CUSTOMERGROUPID>CUSTOMERGROUPID',
      'organizationname>ORGANIZATIONNAME',
      'SALESCURRENCYCODE>SALESCURRENCYCODE',
    ]);
    expect(result.entities[1]!.maps.map((m) => `${m.xmlField}>${m.entityField}`)).toEqual(['Code>CODE', 'Name>NAME']);
    expect(notices.join('\n')).toMatch(/"My custom entity" is not in the built-in catalog/);
    const pkg = await openPackage(join(dir, 'm.zip'));
    expect(pkg.manifest.entities.map((e) => [e.entityName, e.sequenceInLevel, e.targetEntity])).toEqual([
      ['Customers V3', 1, 'CustCustomerV3Entity'],
      ['My custom entity', 2, undefined],
    ]);
    await pkg.close();
  });

  it('reads Excel and XML sources and refuses unknown file types and a repeated entity', async () => {
    const dir = await temp.make();
    await writeFile(
      join(dir, 'g.xml'),
      '<Document><R CUSTOMERGROUPID="10" DESCRIPTION="A"/><R CUSTOMERGROUPID="20" DESCRIPTION="B"/></Document>',
    );
    const fromXml = await pack({
      out: join(dir, 'x.zip'),
      format: 'EXCEL',
      entities: [{ entity: 'Customer groups', file: join(dir, 'g.xml') }],
      catalog,
    });
    expect(fromXml.entities[0]).toMatchObject({ file: 'Customer groups.xlsx', rows: 2 });
    const pkg = await openPackage(join(dir, 'x.zip'));
    expect(pkg.manifest.entities[0]!.excelSheetName).toBe('Customer_groups$');
    expect((await readAll(await pkg.openRows(pkg.manifest.entities[0]!))).rows).toEqual([
      ['10', 'A'],
      ['20', 'B'],
    ]);
    await pkg.close();
    await writeFile(join(dir, 'g.json'), '{}');
    expect(
      (
        await errorOf(() =>
          pack({
            out: join(dir, 'j.zip'),
            entities: [{ entity: 'Customer groups', file: join(dir, 'g.json') }],
            catalog,
          }),
        )
      ).message,
    ).toMatch(/g\.json is not a data file the workbench reads/);
    expect(
      (
        await errorOf(() =>
          pack({
            out: join(dir, 'd.zip'),
            entities: [
              { entity: 'Customer groups', file: join(dir, 'g.xml') },
              { entity: 'CustCustomerGroupEntity', file: join(dir, 'g.xml') },
            ],
            catalog,
          }),
        )
      ).message,
    ).toMatch(/is given for "Customer groups" twice/);
  });
});

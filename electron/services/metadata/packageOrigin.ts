/**
 * Did F&O make this package? Only a package F&O wrote teaches anything: one the workbench wrote
 * would only teach the workbench its own guesses back. Evidence, all of it needed:
 *
 * - a zip (an unpacked folder may have been rezipped or edited by anyone, and cannot carry the
 *   workbench's marker);
 * - no archive comment naming the workbench (every package it writes carries one, and F&O
 *   writes none: the Microsoft sample `usmf_asset-major-types-01.zip` has no comment);
 * - Manifest.xml and PackageHeader.xml stored as F&O stores them: UTF-16LE with a byte-order
 *   mark, starting straight with the root element, no XML declaration (dmf-reference.md §1.2,
 *   §1.3; the sample's first bytes are FF FE 3C 00).
 */
import type { DataPackage } from '../packages/packageReader';
import { WORKBENCH_PACKAGE_MARKER } from '../packages/marker';

export interface PackageOrigin {
  readonly fromFno: boolean;
  /** Why, in one sentence. */
  readonly evidence: string;
}

/** FF FE then '<' (3C 00): UTF-16LE, a BOM, the root element at once. */
function fnoDescriptor(bytes: Uint8Array | null): boolean {
  return bytes !== null && bytes[0] === 0xff && bytes[1] === 0xfe && bytes[2] === 0x3c && bytes[3] === 0x00;
}

export function packageOrigin(pkg: Pick<DataPackage, 'kind' | 'comment' | 'descriptorStarts'>): PackageOrigin {
  if (pkg.kind !== 'zip')
    return { fromFno: false, evidence: 'an unpacked folder cannot show that F&O wrote it; open the .zip instead.' };
  if (pkg.comment.includes(WORKBENCH_PACKAGE_MARKER))
    return { fromFno: false, evidence: 'the workbench wrote it (its zip comment says so).' };
  if (pkg.comment !== '') return { fromFno: false, evidence: 'it has a zip comment, which F&O never writes.' };
  if (!fnoDescriptor(pkg.descriptorStarts.manifest))
    return {
      fromFno: false,
      evidence: 'its Manifest.xml is not stored as F&O stores it (UTF-16LE, BOM, no declaration).',
    };
  if (!fnoDescriptor(pkg.descriptorStarts.header))
    return {
      fromFno: false,
      evidence: 'its PackageHeader.xml is missing or not stored as F&O stores it (UTF-16LE, BOM, no declaration).',
    };
  return {
    fromFno: true,
    evidence:
      'a zip without comment whose Manifest.xml and PackageHeader.xml are UTF-16LE with a BOM and no declaration, as F&O writes them.',
  };
}

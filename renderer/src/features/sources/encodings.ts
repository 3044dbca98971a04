/** The encodings the open panel and "Change how it is read" offer (the readers know many more by name). */
export const ENCODINGS = [
  { value: 'utf-8', label: 'UTF-8' },
  { value: 'utf-16le', label: 'UTF-16 LE (Unicode)' },
  { value: 'utf-16be', label: 'UTF-16 BE' },
  { value: 'windows-1252', label: 'Windows-1252 (Western)' },
  { value: 'windows-1250', label: 'Windows-1250 (Central European)' },
  { value: 'windows-1251', label: 'Windows-1251 (Cyrillic)' },
  { value: 'iso-8859-1', label: 'ISO-8859-1' },
] as const;

export function encodingLabel(encoding: string): string {
  return ENCODINGS.find((e) => e.value === encoding)?.label ?? encoding;
}

/** Why the reader chose the encoding, in words (the readers' reasons are short codes). */
export function encodingReasonLabel(reason: string): string {
  if (reason === 'mixed') return 'mixed encodings: the rows with other bytes are flagged';
  return reason;
}

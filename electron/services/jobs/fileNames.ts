/** A label as a file name: without the characters Windows refuses (F&O runs there, §1.4). */
export function fileSafe(label: string): string {
  // eslint-disable-next-line no-control-regex -- control characters are exactly what Windows refuses
  return label.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '').trim() || 'entity';
}

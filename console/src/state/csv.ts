/**
 * Splits CSV text into records without interpreting them (RFC 4180 quoting: a quoted field may hold
 * commas, quotes and line breaks), so rejected rows can be handed back exactly as they were sent.
 */
export function csvRecords(text: string): string[] {
  const records: string[] = [];
  let start = 0;
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') quoted = !quoted;
    else if (!quoted && (c === '\n' || c === '\r')) {
      records.push(text.slice(start, i));
      if (c === '\r' && text[i + 1] === '\n') i++;
      start = i + 1;
    }
  }
  if (start < text.length) records.push(text.slice(start));
  return records.filter((r) => r.trim() !== '');
}

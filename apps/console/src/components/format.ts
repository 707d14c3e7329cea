/** A timestamp in the browser's local time, or in `timeZone` (a reservation's own zone). */
export function formatTime(iso: string | null | undefined, language: string, timeZone?: string): string {
  if (!iso) return '—';
  return new Date(iso).toLocaleString(language === 'ko' ? 'ko-KR' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: timeZone ? 'short' : 'medium',
    ...(timeZone ? { timeZone } : {}),
  });
}

/** Saves text as a file through a temporary link (CSV exports, the bulk template). */
export function downloadText(name: string, text: string, type = 'text/csv;charset=utf-8'): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

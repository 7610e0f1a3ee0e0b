/**
 * The data behind a chart as a table, one click away: every chart has this text alternative. The
 * rows are rendered once it is opened (a 90-day trend is a long table nobody needs in the DOM unread).
 */
import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { t } from '../i18n/i18n';

export function DataTable({
  caption,
  columns,
  rows,
}: {
  caption: string;
  columns: readonly string[];
  rows: readonly (readonly ComponentChildren[])[];
}) {
  const [open, setOpen] = useState(false);
  return (
    <details class="data-table" onToggle={(e) => setOpen(e.currentTarget.open)}>
      <summary>{t('chart.showTable')}</summary>
      {open && (
        <div class="table-wrap">
          <table>
            <caption>{caption}</caption>
            <thead>
              <tr>
                {columns.map((c) => (
                  <th key={c} scope="col">
                    {c}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              {rows.map((row, i) => (
                <tr key={i}>
                  {row.map((cell, j) =>
                    j === 0 ? (
                      <th key={j} scope="row">
                        {cell}
                      </th>
                    ) : (
                      <td key={j}>{cell}</td>
                    ),
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </details>
  );
}

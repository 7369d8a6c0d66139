import type { ReactNode } from 'react';

/** A two-column table of labelled facts; rows whose value is `undefined` are left out. */
export function KeyValues({ rows, testId }: { rows: [string, ReactNode][]; testId?: string }): ReactNode {
  return (
    <table className="table" data-testid={testId}>
      <tbody>
        {rows
          .filter(([, v]) => v !== undefined)
          .map(([k, v]) => (
            <tr key={k}>
              <th scope="row">{k}</th>
              <td data-field={k}>{v}</td>
            </tr>
          ))}
      </tbody>
    </table>
  );
}
